'use strict';
// Loaded into a benchmarked child process (NODE_OPTIONS=-r ...): says its peak resident set size as it exits.
process.on('exit', () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\n`));

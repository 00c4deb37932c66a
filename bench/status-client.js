// A client of /api/status in a process of its own (as a dashboard or curl is): argv url, token, requests.
// Prints the latencies in ms as one line of JSON.
const [url, token, count] = process.argv.slice(2);
(async () => {
  const headers = { Authorization: `Bearer ${token}` };
  for (let i = 0; i < 50; i++) await (await fetch(url, { headers })).json();
  const times = [];
  for (let i = 0; i < Number(count); i++) {
    const t0 = performance.now();
    const response = await fetch(url, { headers });
    await response.json();
    times.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`/api/status answered ${response.status}`);
  }
  process.stdout.write(`${JSON.stringify(times)}\n`);
})().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

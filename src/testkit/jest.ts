/** `import '../src/testkit/jest'` in a test file (or a Jest setup file) registers the strategy matchers. */
import { installMatchers } from './matchers';

installMatchers();

import { ClusterUsageError, MAX_ANALYSIS, clusterPlan, parseClusterArgs, type ClusterChild } from '../../../scripts/cluster';

const KEY = 'k'.repeat(64);
const OPTS = { redisUrl: 'redis://127.0.0.1:6390', password: 'pw-123', busKey: KEY };

function byName(plan: ClusterChild[], name: string): ClusterChild {
  const child = plan.find((c) => c.name === name);
  if (!child) throw new Error(`no ${name} in ${plan.map((c) => c.name).join(', ')}`);
  return child;
}

/** The value after `flag` in `args`. */
function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

function refusal(argv: string[], opts = OPTS): string {
  try {
    clusterPlan(argv, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ClusterUsageError);
    return (err as Error).message;
  }
  throw new Error(`${argv.join(' ')} was not refused`);
}

describe('npm run cluster: the plan of processes', () => {
  it('starts data, N analysis processes and one trader, each on the bus with its role and node name', () => {
    const plan = clusterPlan(['--analysis', '3'], OPTS);
    expect(plan.map((c) => c.name)).toEqual(['data', 'analysis-1', 'analysis-2', 'analysis-3', 'trader']);
    for (const child of plan) expect(flag(child.args, '--bus')).toBe('redis://127.0.0.1:6390');
    expect(flag(byName(plan, 'data').args, '--role')).toBe('data');
    expect(flag(byName(plan, 'data').args, '--node')).toBe('data');
    expect(flag(byName(plan, 'analysis-2').args, '--role')).toBe('analysis');
    expect(flag(byName(plan, 'analysis-2').args, '--node')).toBe('analysis-2');
    expect(flag(byName(plan, 'trader').args, '--role')).toBe('trade,portfolio,monitor');
    expect(flag(byName(plan, 'trader').args, '--node')).toBe('trader');
  });

  it('runs 2 analysis processes without --analysis, and accepts --analysis=N', () => {
    expect(clusterPlan([], OPTS).filter((c) => c.name.startsWith('analysis-'))).toHaveLength(2);
    expect(clusterPlan(['--analysis=1'], OPTS).map((c) => c.name)).toEqual(['data', 'analysis-1', 'trader']);
  });

  it('gives every process the bus key, the Redis password, no log file, and an await for all N analysis processes', () => {
    for (const child of clusterPlan(['--analysis', '4'], OPTS)) {
      expect(child.env).toEqual({
        BOT_BUS_KEY: KEY,
        BOT_BUS_REDIS_PASSWORD: 'pw-123',
        BOT_BUS_AWAIT: 'data,analysis:4,portfolio,trade',
        BOT_LOG_TO_FILE: 'false',
      });
    }
  });

  it('leaves BOT_BUS_REDIS_PASSWORD out for a Redis without a password, and never puts it in the arguments', () => {
    const plan = clusterPlan([], { ...OPTS, password: '' });
    for (const child of plan) expect(child.env).not.toHaveProperty('BOT_BUS_REDIS_PASSWORD');
    for (const child of clusterPlan([], OPTS)) expect(child.args.join(' ')).not.toContain('pw-123');
  });

  it('passes the paper options to every process, as typed, and --out, --state, --fresh and --api to the trader only', () => {
    const argv = ['--seed', '7', '--candles=500', '--speed', '200', '--symbols', 'BTC/USDT,ETH/USDT,SOL/USDT', '-l', 'debug', '--strategy', 'sma-cross', '--out', 'runs/c', '--state', '/tmp/s.sqlite', '--fresh', '--api', '0', '--analysis', '2'];
    const plan = clusterPlan(argv, OPTS);
    const shared = ['--seed', '7', '--candles=500', '--speed', '200', '--symbols', 'BTC/USDT,ETH/USDT,SOL/USDT', '-l', 'debug', '--strategy', 'sma-cross'];
    for (const name of ['data', 'analysis-1', 'analysis-2']) {
      const { args } = byName(plan, name);
      expect(args.slice(6)).toEqual(shared);
    }
    expect(byName(plan, 'trader').args.slice(6)).toEqual([...shared, '--out', 'runs/c', '--state', '/tmp/s.sqlite', '--fresh', '--api', '0']);
  });

  it('takes --api with or without its port', () => {
    expect(parseClusterArgs(['--api', '--seed', '3']).traderOnly).toEqual(['--api']);
    expect(parseClusterArgs(['--api', '9000']).traderOnly).toEqual(['--api', '9000']);
    expect(parseClusterArgs(['--api=9000']).traderOnly).toEqual(['--api=9000']);
  });

  it('gives the trader the state file it is handed unless --state names one', () => {
    const plan = clusterPlan([], { ...OPTS, stateFile: '/tmp/cluster/paper.sqlite' });
    expect(flag(byName(plan, 'trader').args, '--state')).toBe('/tmp/cluster/paper.sqlite');
    expect(flag(byName(plan, 'data').args, '--state')).toBeUndefined();
    const own = clusterPlan(['--state', 'mine.sqlite'], { ...OPTS, stateFile: '/tmp/cluster/paper.sqlite' });
    expect(byName(own, 'trader').args.filter((a) => a === '--state')).toHaveLength(1);
    expect(flag(byName(own, 'trader').args, '--state')).toBe('mine.sqlite');
  });

  it('adds a standby trader with the same roles, node name and options with --standby', () => {
    const plan = clusterPlan(['--standby', '--out', 'runs/x'], { ...OPTS, stateFile: '/tmp/s.sqlite' });
    expect(plan.map((c) => c.name)).toEqual(['data', 'analysis-1', 'analysis-2', 'trader', 'trader-standby']);
    expect(byName(plan, 'trader-standby').args).toEqual(byName(plan, 'trader').args);
    expect(byName(plan, 'trader-standby').env).toEqual(byName(plan, 'trader').env);
  });

  it('reads --redis-url, without taking it for a bot option', () => {
    const parsed = parseClusterArgs(['--redis-url', 'redis://bot@10.0.0.5:6379', '--seed', '1']);
    expect(parsed.redisUrl).toBe('redis://bot@10.0.0.5:6379');
    expect(parsed.shared).toEqual(['--seed', '1']);
    expect(parseClusterArgs([]).redisUrl).toBeUndefined();
  });

  it('refuses a bad --analysis value in one sentence naming the flag and the value', () => {
    for (const bad of ['0', '-1', 'three', '2.5', '', String(MAX_ANALYSIS + 1)]) {
      expect(refusal(['--analysis', bad])).toBe(`--analysis takes the number of analysis processes, a whole number from 1 to ${MAX_ANALYSIS}, not "${bad}"`);
    }
    expect(refusal(['--analysis'])).toBe('--analysis needs a value');
    expect(clusterPlan(['--analysis', String(MAX_ANALYSIS)], OPTS)).toHaveLength(MAX_ANALYSIS + 2);
  });

  it('refuses the options the script sets itself, --live, unknown options and stray arguments, each in one sentence', () => {
    expect(refusal(['--role', 'data'])).toMatch(/^--role is not taken here: the cluster script gives each process its --role itself/);
    expect(refusal(['--node', 'x'])).toMatch(/^--node is not taken here/);
    expect(refusal(['--bus', 'redis://h:1'])).toMatch(/^--bus is not taken here: .*pass --redis-url/);
    expect(refusal(['--live'])).toMatch(/^--live is not taken here: the cluster script is for trying the bot on paper/);
    expect(refusal(['--analyses', '3'])).toMatch(/^unknown option --analyses: the cluster script takes --analysis, --standby, --redis-url and the bot's paper options/);
    expect(refusal(['3'])).toMatch(/^unexpected argument "3": the cluster script takes options only/);
    expect(refusal(['--seed'])).toBe('--seed needs a value');
    expect(refusal(['--fresh=yes'])).toBe('--fresh takes no value');
  });

  it('refuses a --redis-url holding the password, without repeating the URL', () => {
    const message = refusal(['--redis-url', 'redis://:hunter2hunter2@127.0.0.1:6379']);
    expect(message).toMatch(/^the --redis-url given is refused: .*BOT_BUS_REDIS_PASSWORD/);
    expect(message).not.toContain('hunter2');
    expect(refusal(['--redis-url', 'http://127.0.0.1:6379'])).toMatch(/must start with redis:\/\/ or rediss:\/\//);
  });

  it('refuses a bus key shorter than the bot accepts', () => {
    expect(refusal([], { ...OPTS, busKey: 'short' })).toMatch(/^BOT_BUS_KEY must be at least 32 characters \(it has 5\)/);
  });

  it('says when help is asked for', () => {
    expect(parseClusterArgs(['--help']).help).toBe(true);
    expect(parseClusterArgs(['-h']).help).toBe(true);
  });
});

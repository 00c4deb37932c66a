import type { BotConfig } from '../config/schema';
import { AGENT_NAMES } from '../bus/topic-owners';
import { UserError } from '../core/errors';
import { redisUrlProblem } from '../bus/redis/redis-url';

export interface AgentCount {
  agent: string;
  count: number;
}

/** The agents this process runs: bus.roles (config always), or all when empty. */
export function localRoles(config: BotConfig): Set<string> {
  const roles = config.bus.roles;
  return new Set(roles.length === 0 ? AGENT_NAMES : ['config', ...roles]);
}

/** This process's name on the bus: bus.node, or its roles joined with + (config left out). */
export function nodeName(config: BotConfig): string {
  if (config.bus.node !== '') return config.bus.node;
  const roles = [...localRoles(config)].filter((r) => r !== 'config');
  return roles.length === AGENT_NAMES.length - 1 ? 'all' : roles.join('+');
}

/** bus.await parsed: `analysis:2` waits for two analysis processes. */
export function awaitedAgents(config: BotConfig): AgentCount[] {
  return config.bus.await.map((item) => {
    const [agent, count] = item.split(':');
    return { agent: agent!, count: count === undefined ? 1 : Number(count) };
  });
}

/** Everything wrong with the bus settings that a user can fix, as one UserError; nothing with an empty bus.redis.url. */
export function checkClusterSettings(config: BotConfig): void {
  const { bus } = config;
  const unknown = [...bus.roles, ...awaitedAgents(config).map((a) => a.agent)].filter((r) => !(AGENT_NAMES as readonly string[]).includes(r));
  if (bus.redis.url === '') {
    if (bus.roles.length > 0) throw new UserError('bus.roles (--role) needs bus.redis.url (--bus): the other agents would run nowhere');
    return;
  }
  const problem = redisUrlProblem(bus.redis.url);
  if (problem) throw new UserError(problem);
  if (unknown.length > 0) throw new UserError(`bus.roles and bus.await name agents, and ${unknown.join(', ')} ${unknown.length === 1 ? 'is not one' : 'are not'} (agents: ${AGENT_NAMES.join(', ')})`);
}

/** Something with a name and the names it depends on: an agent, as far as ordering goes. */
export interface DependencyNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/**
 * Orders nodes so each comes after everything it depends on (Kahn's algorithm). `elsewhere`: names that
 * run in other processes (a bot spread over a bus), which a node may depend on without them being here. Ties keep the order the
 * nodes were given in, so start-up order is predictable. A duplicate name, an unknown dependency or a cycle
 * is an error that names the agents involved.
 */
export function dependencyOrder<T extends DependencyNode>(nodes: readonly T[], elsewhere: ReadonlySet<string> = new Set()): T[] {
  const byName = new Map<string, T>();
  for (const node of nodes) {
    if (byName.has(node.name)) throw new Error(`two agents are named ${node.name}`);
    byName.set(node.name, node);
  }
  for (const node of nodes) {
    for (const dep of node.dependsOn) {
      if (!byName.has(dep) && !elsewhere.has(dep)) {
        throw new Error(`agent ${node.name} depends on ${dep}, which is not an agent here (agents: ${[...byName.keys()].join(', ')})`);
      }
      if (dep === node.name) throw new Error(`agent ${node.name} depends on itself`);
    }
  }

  const ordered: T[] = [];
  const placed = new Set<string>();
  let remaining = [...nodes];
  while (remaining.length > 0) {
    const ready = remaining.filter((node) => node.dependsOn.every((dep) => placed.has(dep) || (elsewhere.has(dep) && !byName.has(dep))));
    if (ready.length === 0) throw new Error(`dependency cycle between agents: ${findCycle(remaining).join(' -> ')}`);
    // Take one at a time so an earlier-declared node always goes first among the ready ones.
    const next = ready[0]!;
    ordered.push(next);
    placed.add(next.name);
    remaining = remaining.filter((node) => node !== next);
  }
  return ordered;
}

/** Follows unresolved dependencies until a name repeats: that loop is the cycle to report. */
function findCycle(stuck: readonly DependencyNode[]): string[] {
  const byName = new Map(stuck.map((node) => [node.name, node]));
  const path: string[] = [];
  let current: DependencyNode | undefined = stuck[0];
  while (current && !path.includes(current.name)) {
    path.push(current.name);
    const nextName: string | undefined = current.dependsOn.find((dep) => byName.has(dep));
    current = nextName === undefined ? undefined : byName.get(nextName);
  }
  if (!current) return path;
  return [...path.slice(path.indexOf(current.name)), current.name];
}

/** Everything that depends on `name`, directly or through others, in the order of `ordered` (a dependency order). */
export function dependantsOf<T extends DependencyNode>(ordered: readonly T[], name: string): T[] {
  const reached = new Set<string>([name]);
  const found: T[] = [];
  for (const node of ordered) {
    if (node.name !== name && node.dependsOn.some((dep) => reached.has(dep))) {
      reached.add(node.name);
      found.push(node);
    }
  }
  return found;
}

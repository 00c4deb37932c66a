import { dependencyOrder } from '../../../src/app/dependency-order';

const node = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });

describe('dependencyOrder', () => {
  it('puts every agent after its dependencies', () => {
    const order = dependencyOrder([node('trade', 'portfolio', 'config'), node('portfolio', 'config'), node('config')]).map((n) => n.name);
    expect(order).toEqual(['config', 'portfolio', 'trade']);
  });

  it('keeps the declared order among agents that are ready together', () => {
    const order = dependencyOrder([node('config'), node('b', 'config'), node('a', 'config')]).map((n) => n.name);
    expect(order).toEqual(['config', 'b', 'a']);
  });

  it('names the agents of a dependency cycle', () => {
    expect(() => dependencyOrder([node('config'), node('trade', 'analysis'), node('analysis', 'trade')])).toThrow(
      'dependency cycle between agents: trade -> analysis -> trade',
    );
  });

  it('names an unknown dependency and the agent that wants it', () => {
    expect(() => dependencyOrder([node('config'), node('trade', 'risk')])).toThrow(
      'agent trade depends on risk, which is not an agent here (agents: config, trade)',
    );
  });

  it('refuses an agent that depends on itself and two agents with one name', () => {
    expect(() => dependencyOrder([node('a', 'a')])).toThrow('agent a depends on itself');
    expect(() => dependencyOrder([node('a'), node('a')])).toThrow('two agents are named a');
  });
});

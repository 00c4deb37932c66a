import { loadConfig } from '../src/config/load-config';
const l = loadConfig({ defaultFile: 'config/default.json', env: { BOT_BUS_REDIS_PASSWORD: 'abcdefsecret' }, flags: {} } as never);
console.log(l.secrets, l.config.bus.redis.password);

// Starts a moto_server and a nats-server the way tests do, prints their process ids as one JSON line
// and waits to be killed: test/helpers/listening-process.test.ts kills it and looks for orphans.
import { ownNatsServer } from './nats-server.js';
import { startS3Server } from './s3-server.js';

const s3 = await startS3Server();
const nats = await ownNatsServer();
console.log(JSON.stringify({ moto: s3.pid, nats: nats.pid() }));
setInterval(() => {}, 60_000);

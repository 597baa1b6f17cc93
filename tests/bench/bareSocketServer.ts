// The memory baseline: a Socket.IO server doing nothing but holding websocket connections.
import { Server } from 'socket.io';

const server = new Server({ transports: ['websocket'] });
server.listen(Number(process.env.PORT));
console.log('ready');
process.on('SIGTERM', () => server.close(() => process.exit(0)));

import { createServer } from 'node:http';

/** The floor of the floor: node:http parsing the JSON body and answering 200. */
createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method === 'POST') JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('EVENT_RECEIVED');
  });
}).listen(Number(process.env.PORT), '127.0.0.1');

// @ts-check
// A loopback TCP proxy between the API and its database that counts the database commands
// (round trips) the API sends, and keeps each command for `explain`. It reads the MongoDB
// wire protocol (OP_MSG) of the requests only; bytes pass through unchanged both ways.
//
// Why a proxy rather than the driver's command monitoring: it needs no code in the API and
// sees exactly what goes over the wire (one OP_MSG = one round trip), whatever the
// repositories do, so the figures follow the code as it changes.
import net from 'node:net';
import { BSON } from 'mongodb';
import { freePort } from '../lib/net.mjs';

const OP_MSG = 2013;
const OP_COMPRESSED = 2012;

/**
 * Commands of the driver's own housekeeping (server monitoring, handshakes, session
 * clean-up, auth): not part of what an operation costs.
 */
const HOUSEKEEPING = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'endSessions',
  'saslStart',
  'saslContinue',
  'buildInfo',
  'getParameter',
  'killCursors',
]);

/**
 * @typedef {object} Command
 * @property {string} name        e.g. find, insert, update, aggregate
 * @property {string | null} collection
 * @property {string | null} database
 * @property {Record<string, any>} body  the command document, its statements (documents,
 *   updates, deletes) taken out
 * @property {number} documents   statements sent: inserted documents, updates, deletes
 * @property {Record<string, Record<string, any>[]>} [sequences]  those documents by section
 *   identifier (documents, updates, deletes), kept for `explain`
 */

/**
 * Split a request stream into OP_MSG commands.
 * @param {(command: Command) => void} onCommand
 */
export function wireParser(onCommand) {
  /** @type {Buffer} */
  let pending = Buffer.alloc(0);
  return {
    /** @param {Buffer} chunk */
    push(chunk) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 16) {
        const length = pending.readInt32LE(0);
        if (length < 16 || pending.length < length) break;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        const opCode = message.readInt32LE(12);
        if (opCode === OP_MSG) {
          const command = parseOpMsg(message);
          if (command) onCommand(command);
        } else if (opCode === OP_COMPRESSED) {
          onCommand({
            name: '(compressed)',
            collection: null,
            database: null,
            body: {},
            documents: 0,
          });
        }
      }
    },
  };
}

/**
 * @param {Buffer} message  one whole OP_MSG
 * @returns {Command | null}
 */
function parseOpMsg(message) {
  const flags = message.readUInt32LE(16);
  const end = flags & 1 ? message.length - 4 : message.length; // checksumPresent
  let offset = 20;
  /** @type {Record<string, any> | null} */
  let body = null;
  let documents = 0;
  /** @type {Record<string, Record<string, any>[]>} */
  const sequences = {};
  while (offset < end) {
    const kind = message[offset];
    offset += 1;
    if (kind === 0) {
      const size = message.readInt32LE(offset);
      body = BSON.deserialize(message.subarray(offset, offset + size), { promoteValues: true });
      offset += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      const nameEnd = message.indexOf(0, offset + 4);
      const identifier = message.toString('utf8', offset + 4, nameEnd);
      const docs = (sequences[identifier] ??= []);
      let cursor = nameEnd + 1;
      while (cursor < sectionEnd) {
        const docSize = message.readInt32LE(cursor);
        // Insert payloads are only counted; statements of updates and deletes are kept.
        if (identifier !== 'documents')
          docs.push(BSON.deserialize(message.subarray(cursor, cursor + docSize)));
        cursor += docSize;
        documents++;
      }
      offset = sectionEnd;
    } else {
      return null;
    }
  }
  if (!body) return null;
  // The driver may send the statements inline instead of as document sequences.
  for (const field of ['documents', 'updates', 'deletes']) {
    if (Array.isArray(body[field])) {
      documents += body[field].length;
      if (field !== 'documents') sequences[field] = body[field];
      delete body[field];
    }
  }
  const name = Object.keys(body)[0] ?? '(empty)';
  const target = body[name];
  return {
    name,
    collection: typeof target === 'string' ? target : null,
    database: typeof body.$db === 'string' ? body.$db : null,
    body,
    documents,
    sequences,
  };
}

/**
 * Start the proxy in front of `upstream` (host:port).
 * @param {string} upstream
 */
export async function startCommandProxy(upstream) {
  const [host, portText] = upstream.split(':');
  const upstreamPort = Number(portText);
  /** @type {Command[]} */
  let recorded = [];
  let housekeeping = 0;
  /** @type {Set<net.Socket>} */
  const open = new Set();

  const server = net.createServer((client) => {
    const database = net.connect(upstreamPort, host);
    open.add(client);
    open.add(database);
    const parser = wireParser((command) => {
      if (HOUSEKEEPING.has(command.name)) housekeeping++;
      else recorded.push(command);
    });
    client.on('data', (chunk) => {
      parser.push(chunk);
      database.write(chunk);
    });
    database.pipe(client);
    const close = () => {
      client.destroy();
      database.destroy();
      open.delete(client);
      open.delete(database);
    };
    client.on('error', close).on('close', close);
    database.on('error', close).on('close', close);
  });
  const port = await freePort();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });

  return {
    port,
    /** Forget what was counted so far. */
    reset() {
      recorded = [];
      housekeeping = 0;
    },
    /** The commands since the last reset, in order. */
    commands: () => [...recorded],
    housekeeping: () => housekeeping,
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof startCommandProxy>>} CommandProxy */

/**
 * Commands counted by name and collection, e.g. { 'find messages': 2, 'insert messages': 1 }.
 * @param {Command[]} commands
 * @returns {Record<string, number>}
 */
export function countByKind(commands) {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const command of commands) {
    const key = command.collection ? `${command.name} ${command.collection}` : command.name;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

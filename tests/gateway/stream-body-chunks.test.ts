// BodyChunks, the streaming handler's reader of an upstream body: buffered chunks at once, a promise
// only when it must wait, null at the end, the body's error (also one raised between two reads),
// a close before the end as an error, and no reading (so backpressure) while nobody asks.
import { PassThrough, Readable } from 'node:stream';
import { BodyChunks } from '@api/gateway/stream/body-chunks';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('BodyChunks', () => {
  it('gives what is buffered without a promise, waits when nothing is, and ends with null', async () => {
    const body = new PassThrough();
    body.write('a');
    const chunks = new BodyChunks(body);
    const first = chunks.next();
    expect(first).toEqual(Buffer.from('a'));
    const second = chunks.next();
    expect(second).toBeInstanceOf(Promise);
    body.write('b');
    await expect(second).resolves.toEqual(Buffer.from('b'));
    body.end('c');
    await tick();
    const rest: Buffer[] = [];
    for (let chunk = await chunks.next(); chunk !== null; chunk = await chunks.next()) rest.push(chunk);
    expect(Buffer.concat(rest).toString()).toBe('c');
    await expect(Promise.resolve(chunks.next())).resolves.toBeNull();
  });

  it('rejects a waiting read with the body error', async () => {
    const body = new PassThrough();
    const chunks = new BodyChunks(body);
    const waiting = chunks.next();
    body.destroy(Object.assign(new Error('socket hang up'), { code: 'UND_ERR_SOCKET' }));
    await expect(waiting).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('keeps an error raised between two reads and throws it at the next one, instead of crashing', async () => {
    const body = new PassThrough();
    body.write('a');
    const chunks = new BodyChunks(body);
    expect(chunks.next()).toEqual(Buffer.from('a'));
    // Nobody is reading now: without a listener this 'error' would be an uncaught exception.
    body.destroy(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    await tick();
    expect(() => chunks.next()).toThrow(expect.objectContaining({ code: 'ECONNRESET' }));
  });

  it('reports a body that closes before its end as a premature close', async () => {
    const body = new PassThrough();
    const chunks = new BodyChunks(body);
    const waiting = chunks.next();
    body.destroy();
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('reads nothing while nobody asks, so the source is held back at the high-water mark', async () => {
    let pulled = 0;
    const body = new Readable({
      highWaterMark: 16,
      read() {
        pulled += 1;
        this.push(Buffer.alloc(8));
      },
    });
    const chunks = new BodyChunks(body);
    await tick();
    const before = pulled;
    await tick();
    await tick();
    // Filled to its mark (16 bytes = two pushes of 8, give or take the first read), then idle.
    expect(pulled).toBe(before);
    expect(body.readableLength).toBeGreaterThanOrEqual(16);
    expect(chunks.next()).toBeInstanceOf(Buffer);
    await tick();
    expect(pulled).toBeGreaterThan(before);
  });
});

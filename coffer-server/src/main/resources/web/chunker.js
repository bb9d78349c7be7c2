// FastCDC exactly as the server and the CLI cut (coffer-core FastCdc): the same gear table, the
// same normalized masks, the same 256 KiB / 1 MiB / 4 MiB bounds. Equal bytes give equal chunks
// whoever uploads them, so dedup and resume work across the browser and the sync client.

export const MIN = 256 * 1024;
export const AVG = 1024 * 1024;
export const MAX = 4 * 1024 * 1024;

// The gear table: SplitMix64 from the seed "Coffer", split into 32-bit halves.
const GEAR_HI = new Uint32Array(256);
const GEAR_LO = new Uint32Array(256);
(() => {
  const M = (1n << 64n) - 1n;
  let state = 0x436f66666572n;
  for (let i = 0; i < 256; i++) {
    state = (state + 0x9e3779b97f4a7c15n) & M;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    z = z ^ (z >> 31n);
    GEAR_HI[i] = Number(z >> 32n);
    GEAR_LO[i] = Number(z & 0xffffffffn);
  }
})();

const BITS = Math.log2(AVG);
// The masks take the top bits of the 64-bit fingerprint; both fit in its upper half here.
const MASK_SMALL = (0xffffffff << (32 - (BITS + 2))) >>> 0;
const MASK_LARGE = (0xffffffff << (32 - (BITS - 2))) >>> 0;

/** Length of the chunk starting at `from` with `available` bytes there (see FastCdc.cut). */
export function cut(data, from, available) {
  if (available <= MIN) return available;
  const limit = Math.min(available, MAX);
  const normal = Math.min(limit, AVG);
  let hi = 0;
  let lo = 0;
  let i = MIN;
  for (; i < normal; i++) {
    const b = data[from + i];
    const lo2 = ((lo << 1) >>> 0) + GEAR_LO[b];
    hi = (((hi << 1) | (lo >>> 31)) + GEAR_HI[b] + (lo2 > 0xffffffff ? 1 : 0)) >>> 0;
    lo = lo2 >>> 0;
    if ((hi & MASK_SMALL) === 0) return i + 1;
  }
  for (; i < limit; i++) {
    const b = data[from + i];
    const lo2 = ((lo << 1) >>> 0) + GEAR_LO[b];
    hi = (((hi << 1) | (lo >>> 31)) + GEAR_HI[b] + (lo2 > 0xffffffff ? 1 : 0)) >>> 0;
    lo = lo2 >>> 0;
    if ((hi & MASK_LARGE) === 0) return i + 1;
  }
  return limit;
}

const hex = (buffer) =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * The chunks of a File or Blob: [{hash, length, offset}], hashed with Web Crypto's SHA-256.
 * Reads a window at a time (never the whole file); `onProgress(bytesDone)` after each chunk;
 * stops with an AbortError when `signal` aborts.
 */
export async function chunkFile(file, onProgress = () => {}, signal = undefined) {
  const chunks = [];
  const WINDOW = 2 * MAX;
  let offset = 0;
  let buffer = new Uint8Array(0);
  let bufferStart = 0;
  while (offset < file.size) {
    signal?.throwIfAborted();
    const ahead = bufferStart + buffer.length - offset;
    if (ahead < MAX && bufferStart + buffer.length < file.size) {
      const end = Math.min(file.size, offset + WINDOW);
      const more = new Uint8Array(
        await file.slice(bufferStart + buffer.length, end).arrayBuffer());
      const kept = buffer.subarray(offset - bufferStart);
      const joined = new Uint8Array(kept.length + more.length);
      joined.set(kept, 0);
      joined.set(more, kept.length);
      buffer = joined;
      bufferStart = offset;
    }
    const from = offset - bufferStart;
    const length = cut(buffer, from, buffer.length - from);
    const digest = await crypto.subtle.digest("SHA-256", buffer.subarray(from, from + length));
    chunks.push({ hash: hex(digest), length, offset });
    offset += length;
    onProgress(offset);
  }
  return chunks;
}

/** SHA-256 of bytes, in hex. */
export async function sha256(bytes) {
  return hex(await crypto.subtle.digest("SHA-256", bytes));
}

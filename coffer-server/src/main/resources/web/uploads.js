// Uploads from the browser: chunked and hashed here (FastCDC + SHA-256, as the CLI does), only the
// chunks the server lacks are sent, and each file is committed in one request. Every upload is
// kept in IndexedDB (the File itself included) until it is committed, so a reload or a crash of
// the tab resumes it: the server answers with what is still missing, and only that is sent.

import { api, ApiError } from "./api.js";
import { chunkFile } from "./chunker.js";

const DB = "coffer";
const STORE = "uploads";
const PARALLEL = 3;

function database() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "id" });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function stored(action) {
  try {
    const db = await database();
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, "readwrite");
      const request = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = () => reject(tx.error);
    });
  } catch {
    return undefined; // private windows may refuse storage: uploads still work, without resume
  }
}

export class Uploads {
  /** `owner()` names the signed-in account: saved uploads are only ever resumed by it. */
  constructor(onChange, onDone, owner) {
    this.items = [];
    this.onChange = onChange;
    this.onDone = onDone;
    this.owner = owner;
  }

  /** Uploads the signed-in account did not finish (a reload, a crash), waiting for "Resume". */
  async restore() {
    const saved = (await stored((s) => s.getAll())) || [];
    for (const record of saved) {
      if (record.owner !== this.owner()) continue;
      if (this.items.some((u) => u.id === record.id)) continue;
      const upload = this.make(record);
      upload.state = "paused";
      upload.note = "Interrupted: resume to send what is left";
      this.items.push(upload);
    }
    this.onChange();
  }

  /** Queues files: [{file, parentId?, path?}] (a path for files inside an uploaded folder). */
  add(entries) {
    for (const { file, parentId, path } of entries) {
      const record = {
        id: crypto.randomUUID(),
        owner: this.owner(),
        file,
        parentId: path ? null : parentId,
        path: path || null,
        name: file.name,
        created: Date.now(),
      };
      stored((s) => s.put(record));
      this.items.push(this.make(record));
    }
    this.onChange();
    this.pump();
  }

  make(record) {
    return { ...record, state: "waiting", done: 0, already: 0, total: record.file.size, note: "", controller: null };
  }

  pause(upload) {
    if (upload.state === "done") return;
    upload.controller?.abort();
    upload.state = "paused";
    upload.note = "Paused";
    this.onChange();
    this.pump();
  }

  resume(upload) {
    if (upload.state !== "paused" && upload.state !== "failed") return;
    upload.state = "waiting";
    upload.note = "";
    this.onChange();
    this.pump();
  }

  cancel(upload) {
    upload.controller?.abort();
    this.items = this.items.filter((u) => u !== upload);
    stored((s) => s.delete(upload.id));
    this.onChange();
    this.pump();
  }

  /** Signing out: stops everything and forgets the list (what is saved waits for its owner). */
  reset() {
    for (const upload of this.items) upload.controller?.abort();
    this.items = [];
    this.onChange();
  }

  clearFinished() {
    this.items = this.items.filter((u) => u.state !== "done");
    this.onChange();
  }

  get active() {
    return this.items.filter((u) => u.state === "hashing" || u.state === "sending");
  }

  /** Bytes done and total over everything not yet cleared. */
  get overall() {
    let done = 0;
    let total = 0;
    for (const u of this.items) {
      done += u.done;
      total += u.total;
    }
    return { done, total };
  }

  pump() {
    // One file at a time is hashed and sent; its chunks go in parallel.
    if (this.active.length > 0) return;
    const next = this.items.find((u) => u.state === "waiting");
    if (next) this.run(next);
  }

  async run(upload) {
    const controller = new AbortController();
    upload.controller = controller;
    const signal = controller.signal;
    try {
      upload.state = "hashing";
      upload.note = "Reading";
      upload.done = 0;
      this.onChange();
      if (!upload.chunks || upload.chunksOf !== upload.file.lastModified) {
        upload.chunks = await chunkFile(upload.file, (n) => {
          upload.note = `Reading ${Math.floor((100 * n) / Math.max(1, upload.total))} %`;
          this.onChange();
        }, signal);
        upload.chunksOf = upload.file.lastModified;
      }
      upload.state = "sending";
      upload.note = "";
      const target = upload.path ? { path: upload.path } : { parentId: upload.parentId, name: upload.name };
      for (let attempt = 0; ; attempt++) {
        const session = await api("/api/v1/uploads", {
          method: "POST",
          signal,
          body: { ...target, overwrite: true, chunks: upload.chunks.map(({ hash, length }) => ({ hash, length })) },
        });
        // What the server holds already: every chunk it did not ask for (repeats included).
        const asked = new Set(session.missing.map((m) => m.hash));
        const already = upload.chunks.reduce((sum, c) => sum + (asked.has(c.hash) ? 0 : c.length), 0);
        upload.done = already;
        upload.already = already;
        if (already > 0) {
          upload.note = `${formatBytes(already)} already on the server`;
        }
        this.onChange();
        await this.send(upload, session.missing, signal);
        try {
          const file = await api(`/api/v1/uploads/${encodeURIComponent(session.uploadId)}/commit`, {
            method: "POST",
            signal,
          });
          upload.state = "done";
          upload.done = upload.total;
          upload.note = upload.already > 0
            ? `Uploaded (${formatBytes(upload.already)} were already on the server)`
            : "Uploaded";
          stored((s) => s.delete(upload.id));
          this.onChange();
          this.onDone(file);
          break;
        } catch (e) {
          // Chunks that vanished meanwhile (or URLs that expired): ask again, send the rest.
          if (!(e instanceof ApiError) || e.type !== "chunks-missing" || attempt >= 2) throw e;
        }
      }
    } catch (e) {
      if (signal.aborted) return; // paused or cancelled: the state says which
      upload.state = "failed";
      upload.note = e.message || String(e);
      this.onChange();
    } finally {
      if (upload.controller === controller) upload.controller = null;
      this.pump();
    }
  }

  async send(upload, missing, signal) {
    const byHash = new Map(upload.chunks.map((c) => [c.hash, c]));
    const queue = [...missing];
    const worker = async () => {
      while (queue.length > 0) {
        signal.throwIfAborted();
        const transfer = queue.shift();
        const chunk = byHash.get(transfer.hash);
        await put(transfer, upload.file.slice(chunk.offset, chunk.offset + chunk.length), signal,
          (delta) => {
            upload.done += delta;
            this.onChange();
          });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  }
}

/** PUT one chunk to its presigned URL, reporting bytes as they leave (XHR has upload progress). */
function put(transfer, blob, signal, onBytes) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let reported = 0;
    xhr.open("PUT", transfer.url);
    for (const [name, value] of Object.entries(transfer.headers || {})) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => {
      onBytes(e.loaded - reported);
      reported = e.loaded;
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onBytes(blob.size - reported);
        resolve();
      } else {
        onBytes(-reported);
        let detail = `A chunk was refused (${xhr.status}).`;
        try {
          detail = JSON.parse(xhr.responseText).detail || detail;
        } catch {
          // S3 answers in XML
        }
        reject(new ApiError(xhr.status, "chunk-refused", detail));
      }
    };
    xhr.onerror = () => {
      onBytes(-reported);
      reject(new ApiError(0, "offline", "The connection was lost while sending."));
    };
    xhr.onabort = () => {
      onBytes(-reported);
      reject(new DOMException("Aborted", "AbortError"));
    };
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(blob);
  });
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[i]}`;
}

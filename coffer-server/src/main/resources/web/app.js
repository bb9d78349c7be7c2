// Coffer's web app: plain JavaScript modules, no build step. Views are rebuilt from the API on
// each change; the URL hash holds where you are (#/files/a/b, #/shared, #/trash).

import { ApiError, auth, changes, files, session } from "./api.js";
import { Uploads, formatBytes } from "./uploads.js";

const main = document.getElementById("main");
const state = { user: null, view: null, folder: null, sort: { key: "name", up: true } };

// ---------- small helpers ----------

function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const SVG = "http://www.w3.org/2000/svg";
function icon(kind) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  if (kind === "folder") {
    path.setAttribute("d", "M3 6a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z");
    path.setAttribute("fill", "#f2b84b");
  } else {
    path.setAttribute("d", "M6 2h8l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm8 0v5h5");
    path.setAttribute("fill", "#dce6f7");
    path.setAttribute("stroke", "#6d8fc9");
  }
  svg.append(path);
  return svg;
}

export function toast(message, isError = false) {
  const el = h("div", { class: `toast${isError ? " error" : ""}`, role: isError ? "alert" : null }, message);
  document.getElementById("toasts").append(el);
  setTimeout(() => el.remove(), isError ? 7000 : 3500);
}

/** Runs an action, showing its error as a message instead of failing silently. */
async function attempt(action, success) {
  try {
    const result = await action();
    if (success) toast(success);
    return result;
  } catch (e) {
    toast(e instanceof ApiError ? e.message : `Something went wrong: ${e.message || e}`, true);
    return undefined;
  }
}

const when = (iso) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";
const parentPath = (path) => path.replace(/\/[^/]*$/, "") || "/";
const joinPath = (folder, name) => (folder === "/" ? `/${name}` : `${folder}/${name}`);
const hashFor = (path) =>
  `#/files${path.split("/").map(encodeURIComponent).join("/")}${path === "/" ? "" : ""}`;

/** A modal dialog: `build(close)` returns its content; resolves with what close() is given. */
function dialog(title, build) {
  return new Promise((resolve) => {
    const d = h("dialog", { "aria-labelledby": "dialog-title" });
    const close = (value) => {
      d.close();
      d.remove();
      resolve(value);
    };
    d.addEventListener("cancel", (e) => {
      e.preventDefault();
      close(undefined);
    });
    d.append(h("h2", { id: "dialog-title" }, title), build(close));
    document.body.append(d);
    d.showModal();
    d.querySelector("input, select, button.primary")?.focus();
  });
}

function ask(title, label, value = "", confirmText = "OK") {
  return dialog(title, (close) => {
    const input = h("input", { id: "dialog-input", value, "aria-label": label, required: true });
    return h("form", { onsubmit: (e) => { e.preventDefault(); close(input.value.trim()); } },
      h("label", {}, label), input,
      h("menu", {}, h("button", { type: "button", onclick: () => close(undefined) }, "Cancel"),
        h("button", { class: "primary", type: "submit" }, confirmText)));
  });
}

function confirmAction(title, text, confirmText) {
  return dialog(title, (close) =>
    h("form", { onsubmit: (e) => { e.preventDefault(); close(true); } }, h("p", {}, text),
      h("menu", {}, h("button", { type: "button", onclick: () => close(false) }, "Cancel"),
        h("button", { class: "primary danger", type: "submit" }, confirmText))));
}

// ---------- signing in ----------

function authView(signingUp = false, error = "") {
  document.getElementById("bar").hidden = true;
  const username = h("input", { id: "username", autocomplete: "username", required: true });
  const password = h("input", {
    id: "password", type: "password", required: true, minlength: signingUp ? 8 : null,
    autocomplete: signingUp ? "new-password" : "current-password",
  });
  const message = h("p", { class: "error", role: "alert", id: "auth-error" }, error);
  const submit = h("button", { class: "primary", type: "submit", id: "auth-submit" },
    signingUp ? "Create account" : "Sign in");
  const form = h("form", {
    class: "auth",
    onsubmit: async (e) => {
      e.preventDefault();
      submit.disabled = true;
      message.textContent = "";
      try {
        if (signingUp) await auth.signup(username.value.trim(), password.value);
        const login = await auth.login(username.value.trim(), password.value);
        session.token = login.token;
        await start();
      } catch (err) {
        message.textContent = err.message;
        submit.disabled = false;
      }
    },
  },
  h("h1", {}, h("img", { src: "/ui/icon.svg", alt: "", width: 32, height: 32 }), "Coffer"),
  h("label", {}, "Username", username),
  h("label", {}, "Password", password),
  submit, message,
  h("p", {}, signingUp ? "Have an account? " : "New here? ",
    h("a", { href: "#", id: "toggle-signup", onclick: (e) => { e.preventDefault(); authView(!signingUp); } },
      signingUp ? "Sign in" : "Create an account")));
  main.replaceChildren(form);
  username.focus();
}

// ---------- the file browser ----------

function sorted(children) {
  const { key, up } = state.sort;
  const dir = up ? 1 : -1;
  return [...children].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === "folder" ? -1 : 1;
    const x = key === "name" ? a.name.toLowerCase() : key === "size" ? a.size : a.modified || "";
    const y = key === "name" ? b.name.toLowerCase() : key === "size" ? b.size : b.modified || "";
    return (x < y ? -1 : x > y ? 1 : 0) * dir;
  });
}

async function filesView(path) {
  let listing;
  try {
    const folder = path === "/" ? await files.meta("root") : await files.lookup(path);
    if (folder.kind !== "folder") {
      location.hash = hashFor(parentPath(path));
      return;
    }
    listing = await files.list(folder.id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && path !== "/") {
      toast(`${path} no longer exists.`, true);
      location.hash = "#/files/";
      return;
    }
    throw e;
  }
  state.folder = { ...listing.folder, path };
  renderListing(listing.children);
}

function renderListing(children) {
  const folder = state.folder;
  const crumbs = h("nav", { class: "crumbs", "aria-label": "Folder path" },
    h("a", { href: "#/files/" }, "My files"));
  let walked = "/";
  for (const part of folder.path.split("/").filter(Boolean)) {
    walked = joinPath(walked, part);
    crumbs.append(h("span", { "aria-hidden": "true" }, "›"), h("a", { href: hashFor(walked) }, part));
  }
  crumbs.lastElementChild.setAttribute("aria-current", "page");

  const fileInput = h("input", { type: "file", multiple: true, id: "upload-files", hidden: true,
    onchange: () => { queueFiles([...fileInput.files].map((file) => ({ file }))); fileInput.value = ""; } });
  const folderInput = h("input", { type: "file", id: "upload-folder", hidden: true, webkitdirectory: true,
    onchange: () => {
      queueFiles([...folderInput.files].map((file) => ({ file, relative: file.webkitRelativePath })));
      folderInput.value = "";
    } });
  const toolbar = h("div", { class: "toolbar" },
    h("button", { class: "primary", type: "button", id: "upload-button", onclick: () => fileInput.click() }, "Upload files"),
    h("button", { type: "button", onclick: () => folderInput.click() }, "Upload folder"),
    h("button", { type: "button", id: "new-folder", onclick: newFolder }, "New folder"),
    h("button", { type: "button", onclick: () => downloadZip(folder) }, "Download folder"),
    fileInput, folderInput);

  const header = (key, label, cls) => {
    const active = state.sort.key === key;
    return h("th", { class: cls, "aria-sort": active ? (state.sort.up ? "ascending" : "descending") : null },
      h("button", { type: "button", onclick: () => {
        state.sort = { key, up: active ? !state.sort.up : true };
        renderListing(children);
      } }, label, active ? (state.sort.up ? " ▲" : " ▼") : ""));
  };
  const rows = sorted(children).map((item) => row(item));
  const table = children.length === 0
    ? h("p", { class: "empty" }, "This folder is empty. Drop files here or use Upload.")
    : h("table", { class: "list" },
      h("thead", {}, h("tr", {}, header("name", "Name"), header("size", "Size", "num"),
        header("modified", "Modified", "when"), h("th", { class: "actions" }, h("span", { class: "skip" }, "Actions")))),
      h("tbody", {}, rows));
  const zone = h("section", { class: "drop", id: "drop-zone", "aria-label": "Files" }, table);
  dropTarget(zone);
  main.replaceChildren(crumbs, toolbar, zone);
}

function row(item) {
  const path = joinPath(state.folder.path, item.name);
  const name = item.kind === "folder"
    ? h("a", { href: hashFor(path) }, item.name)
    : h("button", { type: "button", title: `Download ${item.name}`, onclick: () => download(item) }, item.name);
  return h("tr", { dataset: { name: item.name, id: item.id } },
    h("td", {}, h("div", { class: "name" }, icon(item.kind), name,
      item.readOnly ? h("span", { class: "tag" }, "view only") : null)),
    h("td", { class: "num" }, item.kind === "folder" ? "—" : formatBytes(item.size)),
    h("td", { class: "when" }, when(item.modified)),
    h("td", { class: "actions" },
      h("button", { type: "button", class: "quiet", dataset: { action: "share" }, "aria-label": `Share ${item.name}`,
        onclick: () => shareDialog(item) }, "Share"),
      h("button", { type: "button", class: "quiet", dataset: { action: "more" }, "aria-label": `More actions for ${item.name}`,
        onclick: () => moreDialog(item, path) }, "⋯")));
}

async function refresh() {
  if (state.view === "files" && state.folder) {
    const shown = state.folder.id;
    const listing = await files.list(shown).catch(() => null);
    if (state.view !== "files" || state.folder?.id !== shown) return; // moved on meanwhile
    if (listing) renderListing(listing.children);
    else route();
  } else if (state.view === "trash") trashView();
  else if (state.view === "shared") sharedView();
}

async function newFolder() {
  const name = await ask("New folder", "Name", "", "Create");
  if (!name) return;
  await attempt(() => files.mkdir(state.folder.id, name), `Created ${name}`);
  refresh();
}

async function moreDialog(item, path) {
  const choice = await dialog(item.name, (close) => h("div", { class: "row", role: "group", "aria-label": "Actions" },
    item.kind === "file" ? h("button", { type: "button", dataset: { action: "download" }, onclick: () => close("download") }, "Download") :
      h("button", { type: "button", dataset: { action: "zip" }, onclick: () => close("zip") }, "Download as zip"),
    h("button", { type: "button", dataset: { action: "rename" }, onclick: () => close("rename") }, "Rename"),
    h("button", { type: "button", dataset: { action: "move" }, onclick: () => close("move") }, "Move"),
    item.kind === "file" ? h("button", { type: "button", dataset: { action: "versions" }, onclick: () => close("versions") }, "Versions") : null,
    h("button", { type: "button", dataset: { action: "link" }, onclick: () => close("link") }, "Public link"),
    h("button", { type: "button", class: "danger", dataset: { action: "delete" }, onclick: () => close("delete") }, "Delete"),
    h("button", { type: "button", class: "quiet", onclick: () => close(undefined) }, "Close")));
  if (choice === "download") download(item);
  else if (choice === "zip") downloadZip(item);
  else if (choice === "rename") {
    const name = await ask(`Rename ${item.name}`, "New name", item.name, "Rename");
    if (name && name !== item.name) await attempt(() => files.move(item.id, { name }), `Renamed to ${name}`);
  } else if (choice === "move") {
    const target = await ask(`Move ${item.name}`, "Into folder (a path such as /Projects)", parentPath(path), "Move");
    if (target) {
      await attempt(async () => {
        const folder = target === "/" ? await files.meta("root") : await files.lookup(target);
        await files.move(item.id, { parentId: folder.id });
      }, `Moved to ${target}`);
    }
  } else if (choice === "versions") versionsDialog(item);
  else if (choice === "link") linkDialog(item);
  else if (choice === "delete") {
    const sure = await confirmAction(`Delete ${item.name}?`, "It goes to the trash, where you can restore it.", "Delete");
    if (sure) await attempt(() => files.remove(item.id), `${item.name} moved to the trash`);
  }
  refresh();
}

// ---------- downloads ----------

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function download(item, revision) {
  await attempt(async () => {
    const response = await files.content(item.id, revision);
    save(await response.blob(), item.name);
  });
}

async function downloadZip(folder) {
  toast(`Preparing ${folder.name || "your files"}.zip…`);
  await attempt(async () => {
    const response = await files.zip(folder.id);
    save(await response.blob(), `${folder.parentId ? folder.name : "Coffer"}.zip`);
  });
}

// ---------- versions, sharing, links ----------

async function versionsDialog(item) {
  const versions = await attempt(() => files.versions(item.id));
  if (!versions) return;
  const restored = await dialog(`Versions of ${item.name}`, (close) => h("div", {},
    h("ul", {}, versions.map((v) => h("li", { dataset: { revision: v.revision } },
      h("span", {}, when(v.created), " · ", formatBytes(v.size), v.current ? " · current" : ""),
      h("span", {},
        h("button", { type: "button", onclick: () => download(item, v.revision) }, "Download"), " ",
        v.current ? null : h("button", { type: "button", dataset: { action: "restore-version" }, onclick: () => close(v) }, "Restore"))))),
    h("menu", {}, h("button", { type: "button", onclick: () => close(undefined) }, "Close"))));
  if (restored) {
    await attempt(() => files.restoreVersion(item.id, restored.revision), "Version restored");
    refresh();
  }
}

async function shareDialog(item) {
  await dialog(`Share ${item.name}`, (close) => {
    const list = h("ul", { id: "share-members" });
    const load = async () => {
      const shares = await files.shares(item.id).catch(() => null);
      list.replaceChildren(...(shares?.members || []).map((m) => h("li", {},
        h("span", {}, m.user, " ", h("span", { class: "tag" }, m.role)),
        m.role === "owner" ? null : h("button", { type: "button", class: "danger", onclick: async () => {
          await attempt(() => files.unshare(item.id, m.user), `${m.user} no longer has access`);
          load();
        } }, "Remove"))));
      if (!list.children.length) list.append(h("li", {}, "Not shared yet."));
    };
    load();
    const user = h("input", { id: "share-user", placeholder: "username", "aria-label": "Share with user", required: true });
    const role = h("select", { id: "share-role", "aria-label": "Role" },
      h("option", { value: "editor" }, "can edit"), h("option", { value: "viewer" }, "can view"));
    return h("form", { onsubmit: async (e) => {
      e.preventDefault();
      const ok = await attempt(() => files.share(item.id, [user.value.trim()], role.value), `Shared with ${user.value.trim()}`);
      if (ok) { user.value = ""; load(); }
    } },
    list, h("div", { class: "row" }, user, role, h("button", { class: "primary", type: "submit", id: "share-submit" }, "Share")),
    h("menu", {}, h("button", { type: "button", onclick: () => close() }, "Done")));
  });
  refresh();
}

async function linkDialog(item) {
  await dialog(`Public link to ${item.name}`, (close) => {
    const list = h("ul", {});
    const shown = h("div", { "aria-live": "polite" });
    const load = async () => {
      const links = await files.links(item.id).catch(() => []);
      list.replaceChildren(...links.map((l) => h("li", {},
        h("span", {}, `Made ${when(l.created)}`, l.expiresAt ? ` · expires ${when(l.expiresAt)}` : "", l.hasPassword ? " · password" : ""),
        h("button", { type: "button", class: "danger", onclick: async () => {
          await attempt(() => files.revokeLink(l.id), "Link revoked");
          load();
        } }, "Revoke"))));
    };
    load();
    const days = h("input", { type: "number", min: 1, max: 3650, placeholder: "never", "aria-label": "Expires after days" });
    const password = h("input", { type: "password", placeholder: "no password", "aria-label": "Link password", autocomplete: "new-password" });
    return h("form", { onsubmit: async (e) => {
      e.preventDefault();
      const options = {};
      if (days.value) options.expiresAt = new Date(Date.now() + Number(days.value) * 86400_000).toISOString();
      if (password.value) options.password = password.value;
      const link = await attempt(() => files.link(item.id, options));
      if (link) {
        shown.replaceChildren(h("p", {}, "Copy it now: it is shown only once."), h("p", { class: "secret" }, link.url));
        navigator.clipboard?.writeText(link.url).catch(() => {});
        load();
      }
    } },
    h("div", { class: "row" }, h("label", {}, "Expires after (days) ", days), h("label", {}, "Password ", password)),
    h("menu", {}, h("button", { class: "primary", type: "submit" }, "Create link")), shown, list,
    h("menu", {}, h("button", { type: "button", onclick: () => close() }, "Done")));
  });
}

// ---------- shared with me, trash ----------

async function sharedView() {
  const items = await files.sharedWithMe();
  main.replaceChildren(h("h1", {}, "Shared with me"),
    items.length === 0 ? h("p", { class: "empty" }, "Nothing is shared with you yet.") :
      h("table", { class: "list" },
        h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Owner"), h("th", {}, "Access"), h("th", { class: "when" }, "Since"))),
        h("tbody", {}, items.map((s) => h("tr", { dataset: { name: s.name } },
          h("td", {}, h("div", { class: "name" }, icon(s.kind),
            s.kind === "folder" && s.path ? h("a", { href: hashFor(s.path) }, s.name)
              : h("button", { type: "button", onclick: () => download(s) }, s.name))),
          h("td", {}, s.owner), h("td", {}, s.role === "viewer" ? "can view" : "can edit"),
          h("td", { class: "when" }, when(s.sharedAt)))))));
}

async function trashView() {
  const items = await files.trash();
  main.replaceChildren(h("h1", {}, "Trash"),
    h("div", { class: "toolbar" }, items.length ? h("button", { type: "button", class: "danger", onclick: async () => {
      if (await confirmAction("Empty the trash?", "Everything in it is deleted for good.", "Empty trash")) {
        await attempt(() => files.purgeAll(), "Trash emptied");
        trashView();
      }
    } }, "Empty trash") : null),
    items.length === 0 ? h("p", { class: "empty" }, "The trash is empty.") :
      h("table", { class: "list" },
        h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Was at"), h("th", { class: "when" }, "Deleted"), h("th", { class: "actions" }, ""))),
        h("tbody", {}, items.map((t) => h("tr", { dataset: { name: t.name } },
          h("td", {}, h("div", { class: "name" }, icon(t.kind), t.name)),
          h("td", {}, parentPath(t.path)), h("td", { class: "when" }, when(t.deleted)),
          h("td", { class: "actions" },
            h("button", { type: "button", dataset: { action: "restore" }, onclick: async () => {
              await attempt(() => files.restore(t.id), `${t.name} restored`);
              trashView();
            } }, "Restore"), " ",
            h("button", { type: "button", class: "danger", onclick: async () => {
              if (await confirmAction(`Delete ${t.name} for good?`, "This cannot be undone.", "Delete")) {
                await attempt(() => files.purge(t.id), `${t.name} deleted`);
                trashView();
              }
            } }, "Delete for good")))))));
}

// ---------- uploads ----------

const uploads = new Uploads(renderUploads, () => refreshSoon(), () => state.user?.id);
let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 150);
}

function queueFiles(picked) {
  if (!state.folder) return;
  const base = state.folder.path;
  uploads.add(picked.map(({ file, relative }) =>
    relative ? { file, path: joinPath(base, relative) } : { file, parentId: state.folder.id }));
}

function dropTarget(zone) {
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", async (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    const picked = [];
    const walk = async (entry, prefix) => {
      if (entry.isFile) {
        const file = await new Promise((ok, fail) => entry.file(ok, fail));
        picked.push(prefix ? { file, relative: `${prefix}${file.name}` } : { file });
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        for (;;) {
          const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
          if (!batch.length) break;
          for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
        }
      }
    };
    const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
    if (entries.length) for (const entry of entries) await walk(entry, "");
    else for (const file of e.dataTransfer.files) picked.push({ file });
    queueFiles(picked);
  });
}

function renderUploads() {
  const panel = document.getElementById("uploads");
  if (uploads.items.length === 0) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const { done, total } = uploads.overall;
  const finished = uploads.items.filter((u) => u.state === "done").length;
  panel.replaceChildren(
    h("header", {}, h("span", { id: "uploads-summary" }, `Uploads: ${finished} of ${uploads.items.length} done`),
      h("button", { type: "button", class: "quiet", onclick: () => uploads.clearFinished() }, "Clear finished")),
    h("progress", { id: "uploads-overall", max: Math.max(1, total), value: done, "aria-label": "All uploads" }),
    h("ul", {}, uploads.items.map((u) => h("li", { class: u.state, dataset: { upload: u.name, state: u.state, already: u.already } },
      h("div", { class: "line" }, h("span", {}, u.name),
        h("span", {}, `${formatBytes(u.done)} of ${formatBytes(u.total)}`)),
      h("progress", { max: Math.max(1, u.total), value: u.done, "aria-label": `Upload of ${u.name}` }),
      h("div", { class: "line" }, h("span", { class: "note" }, u.note),
        h("span", {},
          u.state === "hashing" || u.state === "sending" || u.state === "waiting"
            ? h("button", { type: "button", class: "quiet", dataset: { action: "pause" }, onclick: () => uploads.pause(u) }, "Pause") : null,
          u.state === "paused" || u.state === "failed"
            ? h("button", { type: "button", class: "quiet", dataset: { action: "resume" }, onclick: () => uploads.resume(u) }, "Resume") : null,
          u.state !== "done"
            ? h("button", { type: "button", class: "quiet", dataset: { action: "cancel" }, onclick: () => uploads.cancel(u) }, "Cancel") : null))))));
}

window.addEventListener("beforeunload", (e) => {
  if (uploads.active.length) e.preventDefault(); // the browser asks before leaving mid-upload
});

// ---------- live updates ----------

async function follow(generation, stop) {
  // The cursor is this follower's own: one left over from a previous sign-in never touches it.
  let cursor = null;
  let pause = 1000;
  const current = () => generation === followGeneration && !stop.aborted;
  while (current() && session.token) {
    try {
      if (!cursor) cursor = (await changes.latest(stop)).cursor;
      if (!current()) return;
      const signal = await changes.wait(cursor, stop);
      if (!current()) return;
      if (signal.changed) {
        let page;
        do {
          page = await changes.page(cursor, stop);
          if (!current()) return;
          cursor = page.cursor;
        } while (page.hasMore);
        refreshSoon();
      }
      pause = 1000;
    } catch (e) {
      if (stop.aborted) return;
      if (e?.status === 400 && String(e.type).endsWith("invalid-cursor")) {
        // The server's data was restored from a backup: start from now, and show what is there.
        cursor = null;
        refreshSoon();
        continue;
      }
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(30_000, pause * 2);
    }
  }
}
let followGeneration = 0;
let following = null;

/** Follows the feed for whoever is signed in now; the previous follower stops at once. */
function followChanges() {
  stopFollowing();
  following = new AbortController();
  follow(followGeneration, following.signal);
}

function stopFollowing() {
  followGeneration++;
  following?.abort();
  following = null;
}

// ---------- routing and start ----------

async function route() {
  if (!session.token) return authView();
  const hash = decodeURIComponent(location.hash || "#/files/");
  document.querySelectorAll(".bar nav a").forEach((a) => a.removeAttribute("aria-current"));
  try {
    if (hash.startsWith("#/trash")) {
      state.view = "trash";
      await trashView();
    } else if (hash.startsWith("#/shared")) {
      state.view = "shared";
      await sharedView();
    } else {
      state.view = "files";
      const path = hash.replace(/^#\/files/, "").replace(/\/+$/, "") || "/";
      await filesView(path);
    }
    document.querySelector(`.bar nav a[data-view="${state.view}"]`)?.setAttribute("aria-current", "page");
  } catch (e) {
    main.replaceChildren(h("p", { class: "error", role: "alert" },
      e instanceof ApiError ? e.message : `Something went wrong: ${e.message || e}`));
  }
}

async function start() {
  try {
    state.user = await auth.account();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return authView();
    main.replaceChildren(h("p", { class: "error", role: "alert" }, e.message));
    return;
  }
  const bar = document.getElementById("bar");
  bar.hidden = false;
  document.getElementById("who").textContent = state.user.username;
  followChanges();
  await uploads.restore();
  await route();
}

document.getElementById("signout").addEventListener("click", async () => {
  stopFollowing();
  uploads.reset();
  await auth.logout().catch(() => {});
  session.token = null;
  authView();
});
window.addEventListener("coffer:signed-out", () => {
  stopFollowing();
  uploads.reset();
  authView(false, "You were signed out. Sign in again.");
});
window.addEventListener("hashchange", () => route());
start();

// The HTTP API, as the web UI uses it. The token lives in the browser's local storage for this
// site (until "Sign out") and goes out only in the Authorization header: never in a URL, never in
// a cookie.

const TOKEN = "coffer.token";

export class ApiError extends Error {
  constructor(status, type, detail) {
    super(detail || `The server answered ${status}.`);
    this.status = status;
    this.type = type;
  }
}

export const session = {
  get token() {
    return localStorage.getItem(TOKEN);
  },
  set token(value) {
    if (value) localStorage.setItem(TOKEN, value);
    else localStorage.removeItem(TOKEN);
  },
};

/** Fetches `path` with the token; JSON in and out; problem+json answers become ApiErrors. */
export async function api(path, { method = "GET", body, signal, raw = false, headers = {} } = {}) {
  const init = { method, signal, headers: { ...headers } };
  const token = session.token;
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "offline", "The server cannot be reached. Check your connection.");
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      // not problem+json: the status says enough
    }
    // Only the token this request carried is known to be dead: a newer sign-in stays.
    if (response.status === 401 && token && session.token === token && !path.startsWith("/api/v1/auth/")) {
      session.token = null;
      window.dispatchEvent(new Event("coffer:signed-out"));
    }
    if (response.status === 429) {
      const wait = response.headers.get("Retry-After");
      throw new ApiError(429, problem.type, `Too many requests; try again in ${wait || "a few"} seconds.`);
    }
    throw new ApiError(response.status, problem.type || "error", problem.detail || problem.title);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const files = {
  root: () => api("/api/v1/lookup?path=%2F"),
  list: (id) => api(`/api/v1/files/${encodeURIComponent(id)}/children`),
  meta: (id) => api(`/api/v1/files/${encodeURIComponent(id)}/metadata`),
  lookup: (path) => api(`/api/v1/lookup?path=${encodeURIComponent(path)}`),
  mkdir: (parentId, name) => api("/api/v1/folders", { method: "POST", body: { parentId, name } }),
  move: (id, change) =>
    api(`/api/v1/files/${encodeURIComponent(id)}`, { method: "PATCH", body: change }),
  remove: (id) => api(`/api/v1/files/${encodeURIComponent(id)}`, { method: "DELETE" }),
  versions: (id) => api(`/api/v1/files/${encodeURIComponent(id)}/versions`),
  restoreVersion: (id, revision) =>
    api(`/api/v1/files/${encodeURIComponent(id)}/versions/${encodeURIComponent(revision)}/restore`,
      { method: "POST" }),
  content: (id, revision) =>
    api(`/api/v1/files/${encodeURIComponent(id)}${revision ? `?revision=${encodeURIComponent(revision)}` : ""}`,
      { raw: true }),
  zip: (id) => api(`/api/v1/files/${encodeURIComponent(id)}/zip`, { raw: true }),
  shares: (id) => api(`/api/v1/files/${encodeURIComponent(id)}/share`),
  share: (id, users, role) =>
    api(`/api/v1/files/${encodeURIComponent(id)}/share`,
      { method: "POST", body: { users, permissions: [role] } }),
  unshare: (id, user) =>
    api(`/api/v1/files/${encodeURIComponent(id)}/share/${encodeURIComponent(user)}`,
      { method: "DELETE" }),
  links: (id) => api(`/api/v1/files/${encodeURIComponent(id)}/links`),
  link: (id, options) =>
    api(`/api/v1/files/${encodeURIComponent(id)}/links`, { method: "POST", body: options }),
  revokeLink: (linkId) => api(`/api/v1/links/${encodeURIComponent(linkId)}`, { method: "DELETE" }),
  sharedWithMe: () => api("/api/v1/shared-with-me"),
  trash: () => api("/api/v1/trash"),
  restore: (id) => api(`/api/v1/trash/${encodeURIComponent(id)}/restore`, { method: "POST" }),
  purge: (id) => api(`/api/v1/trash/${encodeURIComponent(id)}`, { method: "DELETE" }),
  purgeAll: () => api("/api/v1/trash", { method: "DELETE" }),
};

export const auth = {
  signup: (username, password) =>
    api("/api/v1/auth/signup", { method: "POST", body: { username, password } }),
  login: (username, password) =>
    api("/api/v1/auth/login", {
      method: "POST",
      body: { username, password, device: `Web (${navigator.platform || "browser"})` },
    }),
  logout: () => api("/api/v1/auth/logout", { method: "POST" }),
  account: () => api("/api/v1/account"),
};

export const changes = {
  latest: (signal) => api("/api/v1/changes/latest", { signal }),
  page: (cursor, signal) => api(`/api/v1/changes?cursor=${encodeURIComponent(cursor)}`, { signal }),
  wait: (cursor, signal) =>
    api(`/api/v1/changes/wait?timeout=55&cursor=${encodeURIComponent(cursor)}`, { signal }),
};

// A small static file server for the browser demo and the Chromium tests. Serves the repository
// root on 127.0.0.1 only, with cross-origin isolation headers (COOP/COEP, so SharedArrayBuffer and
// Wasm threads are available as they would be on a production site that sets them) and, when
// asked, a strict Content-Security-Policy that allows Wasm compilation but no eval.
//
//   node scripts/serve.mjs [--port 8080] [--path /examples/web/]   (npm run demo:web)
//   import { serve } from "./scripts/serve.mjs"; const s = await serve({ port: 0 }); ... s.close()
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".ts": "text/plain; charset=utf-8",
};

/** The CSP the tests use: scripts from this origin only, Wasm compilation allowed, no eval. */
export const strictCsp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

/**
 * Starts the server. `port: 0` picks a free port. Resolves to { url, port, close() }.
 * @param {{ root?: string, port?: number, host?: string, csp?: string | null, log?: boolean }} opts
 */
export function serve({ root = repoRoot, port = 8080, host = "127.0.0.1", csp = null, log = false } = {}) {
  const server = createServer(async (req, res) => {
    const headers = {
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    };
    if (csp) headers["Content-Security-Policy"] = csp;
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, headers).end();
        return;
      }
      let path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      let file = normalize(join(root, path));
      if (file !== root.replace(/[\\/]$/, "") && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
        res.writeHead(403, headers).end("forbidden");
        return;
      }
      let s = await stat(file).catch(() => null);
      if (s?.isDirectory()) {
        if (!path.endsWith("/")) {
          res.writeHead(301, { ...headers, Location: path + "/" }).end();
          return;
        }
        file = join(file, "index.html");
        s = await stat(file).catch(() => null);
      }
      if (!s?.isFile()) {
        res.writeHead(404, { ...headers, "Content-Type": "text/plain" }).end(`not found: ${path}`);
        if (log) console.log(`404 ${path}`);
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, { ...headers, "Content-Type": types[extname(file)] ?? "application/octet-stream", "Content-Length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
      if (log) console.log(`200 ${path}`);
    } catch (e) {
      res.writeHead(500, headers).end(String(e));
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        port: actual,
        url: `http://${host}:${actual}`,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const { url } = await serve({ port: Number(arg("--port", process.env.PORT ?? 8080)), log: process.argv.includes("--log") });
  console.log(`serving ${repoRoot} at ${url}${arg("--path", "/")}  (Ctrl-C to stop)`);
}

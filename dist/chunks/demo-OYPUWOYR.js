import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import {
  require_tar_stream
} from "./chunk-P4VN7SWC.js";
import {
  PskSigner,
  buildConfig,
  jwtVerify,
  require_undici,
  runPipeline
} from "./chunk-KPQLV6T5.js";
import {
  Secret,
  UserError,
  errorMessage
} from "./chunk-PUKMFQGW.js";
import "./chunk-3CMTUCYV.js";
import {
  __toESM
} from "./chunk-L45NKC2N.js";

// demo/demo.ts
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";

// demo/scenario.ts
import { randomBytes as randomBytes2 } from "node:crypto";

// standin/blobs.ts
import { createServer } from "node:http";
var DIGEST = /^sha256:[a-f0-9]{64}$/;
function digestFromPath(pathname) {
  const path = decodeURIComponent(pathname);
  let m = /^\/blobs\/([^/]+)$/.exec(path) ?? /^\/v2\/(?:[^/]+\/)+blobs\/([^/]+)$/.exec(path);
  if (m) return DIGEST.test(m[1]) ? m[1] : void 0;
  m = /^\/[^/]+\/(?:.+\/)?sha256\/([a-f0-9]{2})\/([a-f0-9]{64})$/.exec(path);
  if (m && m[2].startsWith(m[1])) return `sha256:${m[2]}`;
  return void 0;
}
function refusal(auth, req) {
  if (auth.kind === "none") return null;
  if (auth.kind === "bearer") {
    return req.headers.authorization === `Bearer ${auth.token}` ? null : "missing or wrong bearer token";
  }
  return auth.verify({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers });
}
async function startBlobServer(opts) {
  const auth = opts.auth ?? { kind: "none" };
  const lookup = typeof opts.blobs === "function" ? opts.blobs : (d) => opts.blobs.get(d);
  let count = 0;
  const text = (res, status, body) => {
    res.writeHead(status, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(body)
    });
    res.end(body);
  };
  const server = createServer((req, res) => {
    count++;
    if (req.method !== "GET" && req.method !== "HEAD") return text(res, 405, "method not allowed\n");
    const url = new URL(req.url ?? "/", "http://blobs.invalid");
    const digest = digestFromPath(url.pathname);
    if (!digest) return text(res, 404, "not found\n");
    const reason = refusal(auth, req);
    if (reason !== null) return text(res, 403, `access denied: ${reason}
`);
    const blob = lookup(digest);
    if (!blob) return text(res, 404, "blob unknown\n");
    res.writeHead(200, {
      "Content-Type": "application/octet-stream",
      "Content-Length": blob.length,
      "Docker-Content-Digest": digest,
      Etag: `"${digest}"`
    });
    res.end(req.method === "HEAD" ? void 0 : blob);
  });
  server.keepAliveTimeout = 1e3;
  await new Promise((resolve2) => server.listen(0, "127.0.0.1", resolve2));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () => new Promise((resolve2, reject) => {
      server.close((err) => err ? reject(err) : resolve2());
      server.closeAllConnections();
    })
  };
}

// standin/corpus.ts
import { gzipSync } from "node:zlib";

// standin/catalogue.ts
var LANGUAGES = ["python", "go", "java"];
var DISTRIBUTIONS = [
  {
    key: "debian-12",
    packageManager: "dpkg",
    updater: "debian-updater",
    arch: "amd64",
    osRelease: {
      PRETTY_NAME: "Debian GNU/Linux 12 (bookworm)",
      NAME: "Debian GNU/Linux",
      VERSION_ID: "12",
      VERSION: "12 (bookworm)",
      VERSION_CODENAME: "bookworm",
      ID: "debian"
    }
  },
  {
    key: "debian-11",
    packageManager: "dpkg",
    updater: "debian-updater",
    arch: "amd64",
    osRelease: {
      PRETTY_NAME: "Debian GNU/Linux 11 (bullseye)",
      NAME: "Debian GNU/Linux",
      VERSION_ID: "11",
      VERSION: "11 (bullseye)",
      VERSION_CODENAME: "bullseye",
      ID: "debian"
    }
  },
  {
    key: "ubuntu-22.04",
    packageManager: "dpkg",
    updater: "ubuntu/updater",
    arch: "amd64",
    osRelease: {
      PRETTY_NAME: "Ubuntu 22.04.4 LTS",
      NAME: "Ubuntu",
      VERSION_ID: "22.04",
      VERSION: "22.04.4 LTS (Jammy Jellyfish)",
      VERSION_CODENAME: "jammy",
      ID: "ubuntu",
      ID_LIKE: "debian"
    }
  },
  {
    key: "alpine-3.19",
    packageManager: "apk",
    updater: "alpine-main-v3.19-updater",
    arch: "x86_64",
    osRelease: {
      NAME: "Alpine Linux",
      ID: "alpine",
      VERSION_ID: "3.19",
      PRETTY_NAME: "Alpine Linux v3.19"
    }
  },
  {
    key: "rhel-9",
    packageManager: "rpm",
    updater: "RHEL9-rhel-9",
    arch: "x86_64",
    contentSets: ["rhel-9-for-x86_64-baseos-rpms", "rhel-9-for-x86_64-appstream-rpms"],
    osRelease: {
      NAME: "Red Hat Enterprise Linux",
      VERSION: "9.4 (Plow)",
      ID: "rhel",
      VERSION_ID: "9.4",
      PRETTY_NAME: "Red Hat Enterprise Linux 9.4 (Plow)",
      CPE_NAME: "cpe:/o:redhat:enterprise_linux:9::baseos"
    }
  }
];
var DPKG = [
  ["libc6", "glibc", "2.36"],
  ["libc-bin", "glibc", "2.36"],
  ["bsdutils", "util-linux", "1:2.38.1"],
  ["util-linux", "util-linux", "2.38.1"],
  ["libssl3", "openssl", "3.0.11"],
  ["openssl", "openssl", "3.0.11"],
  ["zlib1g", "zlib", "1:1.2.13"],
  ["libcurl4", "curl", "7.88.1"],
  ["curl", "curl", "7.88.1"],
  ["tar", "tar", "1.34"],
  ["gzip", "gzip", "1.12"],
  ["bash", "bash", "5.2.15"],
  ["coreutils", "coreutils", "9.1"],
  ["libsystemd0", "systemd", "252.22"],
  ["libudev1", "systemd", "252.22"],
  ["perl-base", "perl", "5.36.0"],
  ["libgnutls30", "gnutls28", "3.7.9"],
  ["libxml2", "libxml2", "2.9.14"],
  ["libsqlite3-0", "sqlite3", "3.40.1"],
  ["ncurses-base", "ncurses", "6.4"],
  ["libpcre2-8-0", "pcre2", "10.42"],
  ["login", "shadow", "1:4.13"],
  ["passwd", "shadow", "1:4.13"],
  ["libgcrypt20", "libgcrypt20", "1.10.1"],
  ["libexpat1", "expat", "2.5.0"],
  ["ca-certificates", "ca-certificates", "20230311"],
  ["git", "git", "1:2.39.2"],
  ["python3.11", "python3.11", "3.11.2"]
];
var APK = [
  ["musl", "musl", "1.2.4"],
  ["busybox", "busybox", "1.36.1"],
  ["alpine-baselayout", "alpine-baselayout", "3.4.3"],
  ["alpine-keys", "alpine-keys", "2.4"],
  ["libcrypto3", "openssl", "3.1.4"],
  ["libssl3", "openssl", "3.1.4"],
  ["zlib", "zlib", "1.3.1"],
  ["apk-tools", "apk-tools", "2.14.0"],
  ["ca-certificates-bundle", "ca-certificates", "20240226"],
  ["libcurl", "curl", "8.5.0"],
  ["curl", "curl", "8.5.0"],
  ["xz-libs", "xz", "5.4.5"],
  ["sqlite-libs", "sqlite", "3.44.2"],
  ["libexpat", "expat", "2.6.0"],
  ["python3", "python3", "3.11.8"],
  ["git", "git", "2.43.0"]
];
var RPM = [
  ["glibc", "glibc", "2.34"],
  ["glibc-minimal-langpack", "glibc", "2.34"],
  ["openssl-libs", "openssl", "1:3.0.7"],
  ["zlib", "zlib", "1.2.11"],
  ["bash", "bash", "5.1.8"],
  ["coreutils-single", "coreutils", "8.32"],
  ["libcurl-minimal", "curl", "7.76.1"],
  ["curl-minimal", "curl", "7.76.1"],
  ["systemd-libs", "systemd", "252"],
  ["libxml2", "libxml2", "2.9.13"],
  ["sqlite-libs", "sqlite", "3.34.1"],
  ["expat", "expat", "2.5.0"],
  ["gnutls", "gnutls", "3.8.3"],
  ["ncurses-base", "ncurses", "6.2", true],
  ["tzdata", "tzdata", "2024a", true],
  ["redhat-release", "redhat-release", "9.4"],
  ["python3", "python3.9", "3.9.18"],
  ["krb5-libs", "krb5", "1.21.1"]
];
var PYTHON = [
  ["requests", "2.28.1"],
  ["urllib3", "1.26.12"],
  ["certifi", "2022.9.24"],
  ["idna", "3.4.0"],
  ["charset-normalizer", "2.1.1"],
  ["Jinja2", "3.1.2"],
  ["MarkupSafe", "2.1.1"],
  ["Flask", "2.2.2"],
  ["Werkzeug", "2.2.2"],
  ["PyYAML", "6.0.0"],
  ["cryptography", "38.0.3"],
  ["setuptools", "65.5.0"],
  ["pip", "22.3.1"],
  ["wheel", "0.38.4"],
  ["Django", "4.1.3"],
  ["numpy", "1.23.5"],
  ["Pillow", "9.3.0"],
  ["aiohttp", "3.8.3"]
];
var GO = [
  ["golang.org/x/net", "0.17.0"],
  ["golang.org/x/crypto", "0.14.0"],
  ["golang.org/x/text", "0.13.0"],
  ["golang.org/x/sys", "0.13.0"],
  ["google.golang.org/grpc", "1.58.2"],
  ["google.golang.org/protobuf", "1.31.0"],
  ["github.com/prometheus/client_golang", "1.17.0"],
  ["github.com/sirupsen/logrus", "1.9.3"],
  ["github.com/spf13/cobra", "1.7.0"],
  ["github.com/gorilla/mux", "1.8.0"],
  ["github.com/jackc/pgx/v5", "5.4.3"],
  ["gopkg.in/yaml.v3", "3.0.1"],
  ["github.com/golang-jwt/jwt/v4", "4.5.0"],
  ["github.com/docker/docker", "24.0.6"]
];
var GO_TOOLCHAINS = ["1.21.3", "1.21.5", "1.22.1", "1.22.9"];
var JAVA = [
  ["com.fasterxml.jackson.core:jackson-databind", "2.13.4"],
  ["com.fasterxml.jackson.core:jackson-core", "2.13.4"],
  ["org.apache.logging.log4j:log4j-core", "2.17.0"],
  ["org.apache.commons:commons-text", "1.9.0"],
  ["org.springframework:spring-core", "5.3.23"],
  ["org.springframework:spring-web", "5.3.23"],
  ["org.yaml:snakeyaml", "1.33.0"],
  ["io.netty:netty-codec-http", "4.1.85"],
  ["com.google.guava:guava", "31.1.0"],
  ["org.postgresql:postgresql", "42.5.0"],
  ["ch.qos.logback:logback-classic", "1.2.11"]
];
function ladder(base) {
  const [maj = 0, min = 0, pat = 0] = base.split(".").map((s) => Number.parseInt(s, 10) || 0);
  return [`${maj}.${min}.${pat}`, `${maj}.${min}.${pat + 1}`, `${maj}.${min + 1}.0`, `${maj}.${min + 1}.2`];
}
function splitEpoch(version) {
  const m = /^(\d+:)(.*)$/.exec(version);
  return m ? [m[1], m[2]] : ["", version];
}
function dpkgVersions(base, dist) {
  const [epoch, upstream] = splitEpoch(base);
  if (dist.key === "ubuntu-22.04") {
    return [
      `${upstream}-1ubuntu1`,
      `${upstream}-1ubuntu1.1`,
      `${upstream}-1ubuntu1.3`,
      `${upstream}-2ubuntu0.1`
    ].map((v) => epoch + v);
  }
  const u = dist.osRelease["VERSION_ID"];
  return [`${upstream}-1`, `${upstream}-2`, `${upstream}-2+deb${u}u1`, `${upstream}-2+deb${u}u3`].map(
    (v) => epoch + v
  );
}
function osCatalogue(dist) {
  if (dist.packageManager === "dpkg") {
    return DPKG.map(([name, source, base]) => ({ name, source, versions: dpkgVersions(base, dist) }));
  }
  if (dist.packageManager === "apk") {
    return APK.map(([name, source, base]) => ({
      name,
      source,
      versions: ["r0", "r1", "r3", "r4"].map((r) => `${base}-${r}`)
    }));
  }
  return RPM.map(([name, source, base, noarch]) => {
    const [epoch, upstream] = splitEpoch(base);
    return {
      name,
      source,
      noarch: noarch ?? false,
      versions: ["24.el9", "25.el9", "27.el9", "27.el9_4"].map((r) => `${epoch}${upstream}-${r}`)
    };
  });
}
function languageCatalogue(language) {
  if (language === "python") return PYTHON.map(([name, base]) => ({ name, versions: ladder(base) }));
  if (language === "go")
    return GO.map(([name, base]) => ({ name, versions: ladder(base).map((v) => `v${v}`) }));
  return JAVA.map(([name, base]) => ({ name, versions: ladder(base) }));
}
function compareVersions(a, b) {
  const parse = (v) => {
    const [epoch, rest] = splitEpoch(v.replace(/^v/, ""));
    const digits = rest.match(/\d+/g) ?? [];
    return [Number.parseInt(epoch || "0", 10), ...digits.map((d) => Number.parseInt(d, 10))];
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
function normalizedVersion(kind, version) {
  const nums = (version.replace(/^v/, "").match(/\d+/g) ?? []).map((d) => Number.parseInt(d, 10));
  const ten = [0, ...nums].slice(0, 10);
  while (ten.length < 10) ten.push(0);
  return `${kind}:${ten.join(".")}`;
}

// standin/rng.ts
import { createHash, randomBytes } from "node:crypto";
function seededRng(seed) {
  const h = createHash("sha256").update(seed).digest();
  let a = h.readUInt32LE(0);
  let b = h.readUInt32LE(4);
  let c = h.readUInt32LE(8);
  let d = h.readUInt32LE(12);
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = a + b | 0;
    a = b ^ b >>> 9;
    b = c + (c << 3) | 0;
    c = c << 21 | c >>> 11;
    d = d + 1 | 0;
    const r = t + d | 0;
    c = c + r | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return makeRng(next);
}
function randomRng() {
  return seededRng(randomBytes(16).toString("hex"));
}
function makeRng(next) {
  const rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)];
    },
    chance: (p) => next() < p,
    shuffle: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = out[i];
        out[i] = out[j];
        out[j] = tmp;
      }
      return out;
    },
    hex: (bytes) => {
      let s = "";
      for (let i = 0; i < bytes; i++)
        s += Math.floor(next() * 256).toString(16).padStart(2, "0");
      return s;
    }
  };
  return rng;
}
function hashFraction(...parts) {
  return createHash("sha256").update(parts.join("\0")).digest().readUInt32BE(0) / 4294967296;
}
function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}
function sha256Digest(data) {
  return `sha256:${sha256Hex(data)}`;
}

// standin/tar.ts
var import_tar_stream = __toESM(require_tar_stream(), 1);
import { Readable } from "node:stream";
import { gunzipSync, zstdDecompressSync } from "node:zlib";
var BLOCK = 512;
var MTIME = 17e8;
function octal(value, width) {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}
function header(path, size, type) {
  const h = Buffer.alloc(BLOCK);
  let name = path;
  let prefix = "";
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf("/", 155);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) {
      throw new Error(`tar path too long for ustar: ${path}`);
    }
  }
  h.write(name, 0, 100, "utf8");
  h.write(octal(type === "5" ? 493 : 420, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii");
  h.write(octal(0, 8), 116, "ascii");
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(MTIME, 12), 136, "ascii");
  h.write("        ", 148, "ascii");
  h.write(type, 156, "ascii");
  h.write("ustar\x0000", 257, "ascii");
  h.write("root", 265, "ascii");
  h.write("root", 297, "ascii");
  h.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
  return h;
}
function writeTar(files) {
  const parts = [];
  const dirs = /* @__PURE__ */ new Set();
  for (const file of files) {
    const segments = file.path.split("/");
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join("/") + "/";
      if (!dirs.has(dir)) {
        dirs.add(dir);
        parts.push(header(dir, 0, "5"));
      }
    }
    const content = typeof file.content === "string" ? Buffer.from(file.content) : file.content;
    parts.push(header(file.path, content.length, "0"), content);
    const pad = (BLOCK - content.length % BLOCK) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
function sniffCompression(bytes) {
  if (bytes.length >= 2 && bytes[0] === 31 && bytes[1] === 139) return "gzip";
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 4247762216) return "zstd";
  return "none";
}
function decompress(bytes, compression) {
  if (compression === "gzip") return gunzipSync(bytes);
  if (compression === "zstd") return zstdDecompressSync(bytes);
  return bytes;
}
async function readTar(archive) {
  const files = /* @__PURE__ */ new Map();
  const extract = import_tar_stream.default.extract();
  const done = new Promise((resolve2, reject) => {
    extract.on("entry", (entry, stream, next) => {
      const chunks = [];
      stream.on("data", (chunk) => {
        chunks.push(chunk);
      });
      stream.on("end", () => {
        if (entry.type === "file") files.set(entry.name.replace(/^(\.\/|\/)+/, ""), Buffer.concat(chunks));
        next();
      });
      stream.on("error", reject);
    });
    extract.on("finish", resolve2);
    extract.on("error", reject);
  });
  Readable.from([archive]).pipe(extract);
  await done;
  return files;
}

// standin/corpus.ts
var DOCKER_SCHEMA2_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
var OCI_IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
var EMPTY_LAYER_BLOB_DIGEST = "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";
var EMPTY_LAYER_BLOB = Buffer.from([
  31,
  139,
  8,
  0,
  0,
  9,
  110,
  136,
  0,
  255,
  98,
  24,
  5,
  163,
  96,
  20,
  140,
  88,
  0,
  8,
  0,
  0,
  255,
  255,
  46,
  175,
  181,
  239,
  0,
  4,
  0,
  0
]);
var RPM_DB_STANDIN = "var/lib/rpm/rpmdb.clair-standin";
var GO_BUILDINFO_SUFFIX = ".go-buildinfo";
function layerOf(files, createdBy) {
  const tarBytes = writeTar(files);
  const bytes = gzipSync(tarBytes, { level: 6 });
  return {
    layer: { digest: sha256Digest(bytes), bytes, size: bytes.length },
    diffId: sha256Digest(tarBytes),
    createdBy
  };
}
function osReleaseFile(dist) {
  return Object.entries(dist.osRelease).map(([k, v]) => `${k}=${/^[A-Za-z0-9._-]+$/.test(v) ? v : JSON.stringify(v)}`).join("\n");
}
function packageDbFiles(dist, installed) {
  if (dist.packageManager === "dpkg") {
    const stanzas = installed.map(
      ({ entry, version }) => [
        `Package: ${entry.name}`,
        "Status: install ok installed",
        "Priority: optional",
        `Architecture: ${dist.arch}`,
        ...entry.source && entry.source !== entry.name ? [`Source: ${entry.source}`] : [],
        `Version: ${version}`,
        `Description: ${entry.name} (synthetic)`
      ].join("\n")
    );
    return [{ path: "var/lib/dpkg/status", content: stanzas.join("\n\n") + "\n" }];
  }
  if (dist.packageManager === "apk") {
    const records = installed.map(
      ({ entry, version }) => [`P:${entry.name}`, `V:${version}`, `A:${dist.arch}`, `o:${entry.source ?? entry.name}`, "L:MIT"].join(
        "\n"
      )
    );
    return [{ path: "lib/apk/db/installed", content: records.join("\n\n") + "\n" }];
  }
  const lines = installed.map(({ entry, version }) => {
    const srpm = `${entry.source ?? entry.name}-${version.replace(/^\d+:/, "")}.src.rpm`;
    return [entry.name, version, entry.noarch ? "noarch" : dist.arch, srpm, ""].join("	");
  });
  const files = [
    {
      path: RPM_DB_STANDIN,
      content: `# clair-canary rpm database stand-in (real images carry a binary rpmdb)
${lines.join("\n")}
`
    }
  ];
  if (dist.contentSets) {
    files.push({
      path: "root/buildinfo/content_manifests/ubi9-container.json",
      content: JSON.stringify({ metadata: { icm_version: 1 }, content_sets: dist.contentSets })
    });
  }
  return files;
}
function pickInstalled(rng, catalogue, min, max) {
  const count = Math.min(catalogue.length, rng.int(min, max));
  return rng.shuffle(catalogue).slice(0, count).sort((a, b) => a.name.localeCompare(b.name)).map((entry) => ({ entry, version: entry.versions[rng.int(0, entry.versions.length - 1)] }));
}
function sitePackages(dist) {
  return dist.key === "rhel-9" ? "usr/lib/python3.9/site-packages" : "usr/local/lib/python3.11/site-packages";
}
function pythonFiles(dist, installed, eggs) {
  const dir = sitePackages(dist);
  const meta = (i) => `Metadata-Version: 2.1
Name: ${i.entry.name}
Version: ${i.version}
Summary: ${i.entry.name} (synthetic)
`;
  return [
    ...installed.map((i) => ({
      path: `${dir}/${i.entry.name}-${i.version}.dist-info/METADATA`,
      content: meta(i)
    })),
    // Older setuptools installs: only a scanner that also reads egg-info sees these.
    ...eggs.map((i) => ({
      path: `${dir}/${i.entry.name}-${i.version}-py3.11.egg-info/PKG-INFO`,
      content: meta(i)
    }))
  ];
}
function goFiles(rng, app, module) {
  const deps = pickInstalled(rng, languageCatalogue("go"), 3, 8);
  const toolchain = rng.pick(GO_TOOLCHAINS);
  const lines = [
    `usr/local/bin/${app}: go${toolchain}`,
    `	path	${module}`,
    `	mod	${module}	(devel)	`,
    ...deps.map((d) => `	dep	${d.entry.name}	${d.version}	h1:${rng.hex(8)}=`),
    "	build	-compiler=gc",
    "	build	CGO_ENABLED=0"
  ];
  return [
    { path: `usr/local/bin/${app}${GO_BUILDINFO_SUFFIX}`, content: lines.join("\n") + "\n" },
    { path: `usr/local/bin/${app}`, content: `#!/bin/sh
# stand-in for the ${app} Go binary
` }
  ];
}
function javaFiles(rng, app) {
  return pickInstalled(rng, languageCatalogue("java"), 2, 6).map(({ entry, version }) => {
    const [group, artifact] = entry.name.split(":");
    const jar = `opt/${app}/lib/${artifact}-${version}.jar`;
    return {
      path: `${jar}/META-INF/maven/${group}/${artifact}/pom.properties`,
      content: `#Generated by Maven
groupId=${group}
artifactId=${artifact}
version=${version}
`
    };
  });
}
var NAMESPACES = ["acme", "quay-ci", "platform", "payments", "data-eng", "library", "sre-tools", "ml-team"];
var WORDS = [
  "api",
  "worker",
  "gateway",
  "web",
  "batch",
  "auth",
  "search",
  "ingest",
  "billing",
  "proxy",
  "cron"
];
var DIST_WEIGHTS = [
  ["debian-12", 3],
  ["debian-11", 2],
  ["ubuntu-22.04", 2],
  ["alpine-3.19", 2],
  ["rhel-9", 2]
];
function weightedDistribution(rng) {
  const total = DIST_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let roll = rng.next() * total;
  for (const [key, w] of DIST_WEIGHTS) {
    roll -= w;
    if (roll < 0) return DISTRIBUTIONS.find((d) => d.key === key);
  }
  return DISTRIBUTIONS[0];
}
function generateCorpus(opts) {
  const { seed, count } = opts;
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`corpus count must be a non-negative integer, got ${count}`);
  const rng = seededRng(`corpus:${seed}`);
  const shared = /* @__PURE__ */ new Map();
  const sharedLayer = (key, build) => {
    let hit = shared.get(key);
    if (!hit) {
      hit = build();
      shared.set(key, hit);
    }
    return hit;
  };
  const images = [];
  const epoch = Date.UTC(2024, 0, 1);
  for (let index = 0; index < count; index++) {
    const dist = weightedDistribution(rng);
    const variant = rng.int(0, 1);
    const base = sharedLayer(`base:${dist.key}:${variant}`, () => {
      const brng = seededRng(`base:${seed}:${dist.key}:${variant}`);
      const installed = pickInstalled(brng, osCatalogue(dist), 8, 14);
      const files = [
        { path: "etc/os-release", content: osReleaseFile(dist) + "\n" },
        ...packageDbFiles(dist, installed)
      ];
      return { plan: layerOf(files, `/bin/sh -c #(nop) ADD file:${brng.hex(32)} in / `), installed };
    });
    const plans = [base.plan];
    const ecosystems = [dist.packageManager];
    const app = `${rng.pick(WORDS)}-${index}`;
    const namespace = rng.pick(NAMESPACES);
    if (rng.chance(0.35)) {
      const catalogue = osCatalogue(dist);
      const byName = new Map(base.installed.map((i) => [i.entry.name, i]));
      for (const extra of pickInstalled(rng, catalogue, 1, 2))
        if (!byName.has(extra.entry.name)) byName.set(extra.entry.name, extra);
      const updated = [...byName.values()].map((i) => {
        const at = i.entry.versions.indexOf(i.version);
        return rng.chance(0.3) && at < i.entry.versions.length - 1 ? { entry: i.entry, version: i.entry.versions[at + 1] } : i;
      }).sort((a, b) => a.entry.name.localeCompare(b.entry.name));
      plans.push(layerOf(packageDbFiles(dist, updated), `/bin/sh -c update packages # ${app}`));
    }
    const languages = rng.shuffle(LANGUAGES).filter(() => rng.chance(0.4));
    for (const language of LANGUAGES.filter((l) => languages.includes(l))) {
      ecosystems.push(language);
      if (language === "python") {
        if (rng.chance(0.5)) {
          plans.push(
            sharedLayer(`python-runtime:${dist.key}`, () => {
              const prng = seededRng(`python-runtime:${seed}:${dist.key}`);
              const runtime = languageCatalogue("python").filter(
                (e) => ["pip", "setuptools", "wheel"].includes(e.name)
              );
              const installed2 = runtime.map((entry) => ({ entry, version: prng.pick(entry.versions) }));
              return {
                plan: layerOf(pythonFiles(dist, installed2, []), "/bin/sh -c python3 -m ensurepip"),
                installed: installed2
              };
            }).plan
          );
        }
        const installed = pickInstalled(rng, languageCatalogue("python"), 2, 7);
        const eggs = rng.chance(0.3) ? pickInstalled(rng, languageCatalogue("python"), 1, 1) : [];
        plans.push(
          layerOf(pythonFiles(dist, installed, eggs), `/bin/sh -c pip install -r requirements.txt # ${app}`)
        );
      } else if (language === "go") {
        plans.push(
          layerOf(
            goFiles(rng, app, `example.com/${namespace}/${app}`),
            `COPY ${app} /usr/local/bin/ # buildkit`
          )
        );
      } else {
        plans.push(layerOf(javaFiles(rng, app), `COPY target/lib /opt/${app}/lib # buildkit`));
      }
    }
    const withEmpty = rng.chance(0.2);
    const history = [];
    const created = (i) => new Date(epoch + index * 36e5 + i * 1e3).toISOString();
    plans.forEach((plan, i) => {
      history.push({ created: created(i), created_by: plan.createdBy });
      if (withEmpty && i === 0)
        history.push({
          created: created(i),
          created_by: '/bin/sh -c #(nop)  CMD ["bash"]',
          empty_layer: true
        });
    });
    if (withEmpty) {
      history.push(
        {
          created: created(plans.length),
          created_by: `/bin/sh -c #(nop)  ENV APP=${app}`,
          empty_layer: true
        },
        {
          created: created(plans.length),
          created_by: `/bin/sh -c #(nop)  ENTRYPOINT ["/usr/local/bin/${app}"]`,
          empty_layer: true
        }
      );
    }
    const tag = `v1.${index}.${rng.int(0, 9)}`;
    const config = {
      architecture: "amd64",
      os: "linux",
      created: created(plans.length),
      config: {
        Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        Labels: { "io.clair-canary.image": `${namespace}/${app}:${tag}` }
      },
      rootfs: { type: "layers", diff_ids: plans.map((p) => p.diffId) },
      history
    };
    const oci = rng.chance(0.4);
    const configBytes = Buffer.from(JSON.stringify(config));
    const configDigest = sha256Digest(configBytes);
    const mediaType = oci ? OCI_IMAGE_MANIFEST : DOCKER_SCHEMA2_MANIFEST;
    const manifest = {
      schemaVersion: 2,
      mediaType,
      config: {
        mediaType: oci ? "application/vnd.oci.image.config.v1+json" : "application/vnd.docker.container.image.v1+json",
        size: configBytes.length,
        digest: configDigest
      },
      layers: plans.map((p) => ({
        mediaType: oci ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.docker.image.rootfs.diff.tar.gzip",
        size: p.layer.size,
        digest: p.layer.digest
      }))
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 3));
    images.push({
      namespace,
      repository: app.replace(/-\d+$/, ""),
      tag,
      mediaType,
      manifestBytes,
      digest: sha256Digest(manifestBytes),
      config: { digest: configDigest, bytes: configBytes },
      layers: plans.map((p) => p.layer),
      distribution: dist.key,
      ecosystems
    });
  }
  return images;
}
function corpusBlobs(images) {
  const blobs = /* @__PURE__ */ new Map([[EMPTY_LAYER_BLOB_DIGEST, EMPTY_LAYER_BLOB]]);
  for (const image of images) {
    blobs.set(image.config.digest, image.config.bytes);
    for (const layer of image.layers) blobs.set(layer.digest, layer.bytes);
  }
  return blobs;
}
function quayLayerDigests(image) {
  const config = JSON.parse(image.config.bytes.toString("utf8"));
  if (!config.history?.length) return image.layers.map((l) => l.digest);
  const digests = [];
  let next = 0;
  for (const entry of config.history) {
    if (entry.empty_layer) digests.push(EMPTY_LAYER_BLOB_DIGEST);
    else digests.push(image.layers[next++].digest);
  }
  return digests;
}
function corpusManifests(images, blobBaseUrl) {
  const base = blobBaseUrl.replace(/\/+$/, "");
  return images.map((image) => ({
    hash: image.digest,
    layers: quayLayerDigests(image).map((hash) => ({
      hash,
      uri: `${base}/blobs/${hash}`,
      headers: { Accept: ["application/gzip"] }
    }))
  }));
}

// standin/server.ts
import { randomUUID } from "node:crypto";
import { createServer as createServer2 } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
var import_undici = __toESM(require_undici(), 1);

// standin/profiles.ts
var production = { name: "production", description: "baseline behaviour" };
var regression = {
  name: "regression",
  description: "the Python scanner finds nothing, the dpkg scanner drops epochs, and 5% of manifests fail with IndexError; scanner versions unchanged",
  dropEcosystems: ["python"],
  dropEpochs: ["dpkg"],
  indexErrorFraction: 0.05
};
var drift = {
  name: "drift",
  description: "debian-updater has a different fingerprint: 4 vulnerabilities more and 3 fewer",
  drift: [{ updater: "debian-updater", add: 4, remove: 3 }]
};
var PROFILES = {
  production,
  clean: { name: "clean", description: "a canary identical in content to production" },
  regression,
  drift,
  demo: {
    ...regression,
    ...drift,
    name: "demo",
    description: `regression (${regression.description}) plus drift (${drift.description})`
  },
  faulty: {
    name: "faulty",
    description: "some responses are HTML error pages, empty 401s, truncated bodies or connection resets",
    faults: { html: 0.04, emptyUnauthorized: 0.03, truncated: 0.03, reset: 0.03 }
  },
  slow: {
    name: "slow",
    description: "answers later: +150 ms on index, +40 ms on reports",
    latencyMs: { index: 150, report: 40, jitter: 0.3 }
  },
  "scanner-upgrade": {
    name: "scanner-upgrade",
    description: "the Python scanner is version 4 (new index state) and also reads egg-info packages",
    scannerVersions: { python: "4" },
    readEggInfo: true
  },
  nondeterministic: {
    name: "nondeterministic",
    description: "10% of packages have a field that flips between reads (noise), besides the usual random order",
    flipFraction: 0.1
  }
};
function resolveProfile(profile) {
  if (profile === void 0) return production;
  if (typeof profile !== "string") return profile;
  const found = PROFILES[profile];
  if (!found)
    throw new Error(`unknown stand-in profile "${profile}"; known: ${Object.keys(PROFILES).join(", ")}`);
  return found;
}

// standin/vulndb.ts
import { createHash as createHash3 } from "node:crypto";

// standin/scanners.ts
import { createHash as createHash2 } from "node:crypto";
var BASE_SCANNERS = [
  { name: "dpkg", version: "4", kind: "package" },
  { name: "apk", version: "v0.0.1", kind: "package" },
  { name: "rpm", version: "10", kind: "package" },
  { name: "python", version: "3", kind: "package" },
  { name: "gobin", version: "8", kind: "package" },
  { name: "java", version: "6", kind: "package" },
  { name: "os-release", version: "2", kind: "distribution" },
  { name: "rhel-cpe-scanner", version: "1", kind: "repository" }
];
var SCANNER_OF = {
  dpkg: "dpkg",
  apk: "apk",
  rpm: "rpm",
  python: "python",
  go: "gobin",
  java: "java"
};
function scannerSet(profile) {
  return BASE_SCANNERS.map((s) => ({ ...s, version: profile.scannerVersions?.[s.name] ?? s.version }));
}
function indexState(scanners) {
  const hash = createHash2("md5").update("clair-canary stand-in indexer state\n");
  for (const s of scanners.map((s2) => s2.name + s2.version + s2.kind).sort()) hash.update(s);
  return hash.digest("hex");
}
var LANGUAGE_REPOSITORIES = {
  python: { name: "pypi", uri: "https://pypi.org/simple", cpe: "" },
  go: { name: "go", uri: "https://pkg.go.dev/", cpe: "" },
  java: { name: "maven", uri: "https://repo1.maven.apache.org/maven2", cpe: "" }
};
function parseKeyValues(text, sep) {
  const out = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf(sep);
    if (at <= 0) continue;
    let value = line.slice(at + 1).trim();
    if (sep === "=" && value.startsWith('"')) value = JSON.parse(value);
    out[line.slice(0, at).trim()] = value;
  }
  return out;
}
function cpe23(uri) {
  const parts = uri.replace(/^cpe:\//, "").split(":");
  const field = (i) => parts[i] ? parts[i] : "*";
  return `cpe:2.3:${field(0)}:${field(1)}:${field(2)}:${field(3)}:*:${field(5)}:*:*:*:*:*`;
}
function distributionFromOsRelease(text) {
  const f = parseKeyValues(text, "=");
  return {
    did: f["ID"] ?? "",
    name: f["NAME"] ?? "",
    version: f["VERSION"] ?? "",
    version_code_name: f["VERSION_CODENAME"] ?? "",
    version_id: f["VERSION_ID"] ?? "",
    arch: "",
    cpe: f["CPE_NAME"] ? cpe23(f["CPE_NAME"]) : "",
    pretty_name: f["PRETTY_NAME"] ?? ""
  };
}
function distributionKey(d) {
  const spec = DISTRIBUTIONS.find(
    (s) => s.osRelease["ID"] === d.did && s.osRelease["VERSION_ID"] === d.version_id
  );
  return spec?.key ?? `${d.did}-${d.version_id}`;
}
var RHEL_CONTENT_SET_CPE = {
  "rhel-9-for-x86_64-baseos-rpms": "cpe:/o:redhat:enterprise_linux:9::baseos",
  "rhel-9-for-x86_64-appstream-rpms": "cpe:/a:redhat:enterprise_linux:9::appstream"
};
function rhelRepository(contentSet) {
  const cpe = RHEL_CONTENT_SET_CPE[contentSet];
  return cpe ? { name: cpe, key: "rhel-cpe-repository", cpe: cpe23(cpe) } : void 0;
}
function makePackage(ctx, p) {
  if (ctx.profile.dropEcosystems?.includes(p.ecosystem)) return void 0;
  if (ctx.profile.dropEpochs?.includes(p.ecosystem)) {
    const noEpoch = (v) => v.replace(/^\d+:/, "");
    p = {
      ...p,
      version: noEpoch(p.version),
      ...p.source ? { source: { ...p.source, version: noEpoch(p.source.version) } } : {}
    };
  }
  return { ...p, detector: ctx.detectors.get(SCANNER_OF[p.ecosystem]) ?? "" };
}
function dpkgPackages(ctx, text) {
  return text.split(/\n\n+/).map((stanza) => parseKeyValues(stanza, ":")).filter((f) => f["Package"] && f["Version"] && (f["Status"] ?? "").endsWith(" installed")).flatMap((f) => {
    const source = /^(\S+)(?: \((.+)\))?$/.exec(f["Source"] ?? "");
    const pkg = makePackage(ctx, {
      ecosystem: "dpkg",
      name: f["Package"],
      version: f["Version"],
      arch: f["Architecture"] ?? "",
      source: {
        name: source?.[1] ?? f["Package"],
        version: source?.[2] ?? f["Version"]
      },
      normalized_version: "",
      package_db: "var/lib/dpkg/status"
    });
    return pkg ? [pkg] : [];
  });
}
function apkPackages(ctx, text) {
  return text.split(/\n\n+/).map((record) => parseKeyValues(record, ":")).filter((f) => f["P"] && f["V"]).flatMap((f) => {
    const pkg = makePackage(ctx, {
      ecosystem: "apk",
      name: f["P"],
      version: f["V"],
      arch: f["A"] ?? "",
      source: { name: f["o"] ?? f["P"], version: f["V"] },
      normalized_version: "",
      package_db: "lib/apk/db/installed"
    });
    return pkg ? [pkg] : [];
  });
}
function rpmPackages(ctx, text) {
  return text.split("\n").filter((line) => line && !line.startsWith("#")).flatMap((line) => {
    const [name = "", version = "", arch = "", srpm = ""] = line.split("	");
    const m = /^(.+)-([^-]+-[^-]+)\.src\.rpm$/.exec(srpm);
    const pkg = makePackage(ctx, {
      ecosystem: "rpm",
      name,
      version,
      arch,
      source: { name: m?.[1] ?? name, version: m?.[2] ?? version },
      normalized_version: "",
      package_db: "sqlite:var/lib/rpm"
    });
    return pkg ? [pkg] : [];
  });
}
function scanLayer(files, profile) {
  const detectors = new Map(
    scannerSet(profile).map((s) => [s.name, `urn:claircore:detector:${s.name}:${s.version}:${s.kind}`])
  );
  const ctx = { profile, detectors };
  const out = { packageDbs: /* @__PURE__ */ new Map(), language: [], contentSets: [] };
  for (const [path, bytes] of files) {
    const text = () => bytes.toString("utf8");
    if (path === "etc/os-release" || path === "usr/lib/os-release") {
      out.osRelease = distributionFromOsRelease(text());
    } else if (path === "var/lib/dpkg/status") {
      out.packageDbs.set("var/lib/dpkg/status", dpkgPackages(ctx, text()));
    } else if (path === "lib/apk/db/installed") {
      out.packageDbs.set("lib/apk/db/installed", apkPackages(ctx, text()));
    } else if (path === RPM_DB_STANDIN) {
      out.packageDbs.set("sqlite:var/lib/rpm", rpmPackages(ctx, text()));
    } else if (path.startsWith("root/buildinfo/content_manifests/") && path.endsWith(".json")) {
      const sets = JSON.parse(text()).content_sets ?? [];
      out.contentSets.push(...sets);
    } else {
      const python = /^(.*\/site-packages)\/[^/]+\.(dist-info\/METADATA|egg-info\/PKG-INFO)$/.exec(path);
      if (python && (python[2] === "dist-info/METADATA" || profile.readEggInfo)) {
        const f = parseKeyValues(text(), ":");
        const pkg = f["Name"] && f["Version"] ? makePackage(ctx, {
          ecosystem: "python",
          name: f["Name"],
          version: f["Version"],
          source: { name: "", version: "" },
          normalized_version: normalizedVersion("pep440", f["Version"]),
          package_db: `python:${python[1]}`
        }) : void 0;
        if (pkg) out.language.push(pkg);
      } else if (path.endsWith(GO_BUILDINFO_SUFFIX)) {
        out.language.push(...goPackages(ctx, path.slice(0, -GO_BUILDINFO_SUFFIX.length), text()));
      } else {
        const pom = /^(.+\.jar)\/META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.exec(path);
        if (pom) {
          const f = parseKeyValues(text(), "=");
          const pkg = f["groupId"] && f["artifactId"] && f["version"] ? makePackage(ctx, {
            ecosystem: "java",
            name: `${f["groupId"]}:${f["artifactId"]}`,
            version: f["version"],
            source: { name: "", version: "" },
            normalized_version: "",
            package_db: `maven:${pom[1]}`
          }) : void 0;
          if (pkg) out.language.push(pkg);
        }
      }
    }
  }
  return out;
}
function goPackages(ctx, binary, text) {
  const lines = text.split("\n");
  const toolchain = /: go(\S+)$/.exec(lines[0] ?? "")?.[1];
  const found = toolchain ? [["stdlib", toolchain]] : [];
  for (const line of lines) {
    const [, kind, path, version] = line.split("	");
    if (kind === "dep" && path && version) found.push([path, version]);
  }
  return found.flatMap(([name, version]) => {
    const pkg = makePackage(ctx, {
      ecosystem: "go",
      name,
      version,
      source: { name: "", version: "" },
      normalized_version: normalizedVersion("semver", version),
      package_db: `go:${binary}`
    });
    return pkg ? [pkg] : [];
  });
}
var same = (a, b) => a.name === b.name && a.version === b.version && a.arch === b.arch;
function coalesce(layers) {
  let distribution2;
  const contentSets = /* @__PURE__ */ new Set();
  for (const { contents } of layers) {
    if (contents.osRelease) distribution2 = contents.osRelease;
    for (const set of contents.contentSets) contentSets.add(set);
  }
  const rhelRepos = [...contentSets].flatMap((set) => rhelRepository(set) ?? []);
  const packages = [];
  const dbs = new Set(layers.flatMap(({ contents }) => [...contents.packageDbs.keys()]));
  for (const db of dbs) {
    const copies = layers.filter(({ contents }) => contents.packageDbs.has(db));
    const top = copies[copies.length - 1];
    for (const pkg of top?.contents.packageDbs.get(db) ?? []) {
      const first = copies.find(({ contents }) => contents.packageDbs.get(db)?.some((p) => same(p, pkg)));
      packages.push({
        ...pkg,
        environments: [
          {
            package_db: db,
            introduced_in: (first ?? top)?.digest ?? "",
            distribution: distribution2 ?? null,
            repositories: pkg.ecosystem === "rpm" ? rhelRepos : []
          }
        ]
      });
    }
  }
  const seen = /* @__PURE__ */ new Map();
  for (const { digest, contents } of layers) {
    for (const pkg of contents.language) {
      const key = `${pkg.package_db}\0${pkg.name}\0${pkg.version}`;
      if (seen.has(key)) continue;
      const content = {
        ...pkg,
        environments: [
          {
            package_db: pkg.package_db,
            introduced_in: digest,
            distribution: null,
            repositories: [LANGUAGE_REPOSITORIES[pkg.ecosystem]]
          }
        ]
      };
      seen.set(key, content);
      packages.push(content);
    }
  }
  const repositories = /* @__PURE__ */ new Map();
  for (const p of packages)
    for (const e of p.environments) for (const r of e.repositories) repositories.set(JSON.stringify(r), r);
  return {
    distributions: distribution2 ? [distribution2] : [],
    repositories: [...repositories.values()],
    packages
  };
}

// standin/vulndb.ts
var CVSS_ENRICHMENT_TYPE = "message/vnd.clair.map.vulnerability; enricher=clair.cvss schema=https://csrc.nist.gov/schema/nvd/api/2.0/cve_api_json_2.0.schema";
var CVSS_UPDATER = "clair.cvss";
var byKey = (...keys) => DISTRIBUTIONS.filter((d) => keys.includes(d.key));
var UPDATERS = [
  { updater: "debian-updater", ecosystem: "dpkg", distributions: byKey("debian-12", "debian-11") },
  { updater: "ubuntu/updater", ecosystem: "dpkg", distributions: byKey("ubuntu-22.04") },
  { updater: "alpine-main-v3.19-updater", ecosystem: "apk", distributions: byKey("alpine-3.19") },
  { updater: "RHEL9-rhel-9", ecosystem: "rpm", distributions: byKey("rhel-9") },
  { updater: "pyupio", ecosystem: "python", distributions: [] },
  { updater: "osv/pypi", ecosystem: "python", distributions: [] },
  { updater: "osv/go", ecosystem: "go", distributions: [] },
  { updater: "osv/maven", ecosystem: "java", distributions: [] }
];
var SEVERITIES = {
  "debian-updater": [
    ["unimportant", "Negligible"],
    ["low", "Low"],
    ["medium", "Medium"],
    ["high", "High"]
  ],
  "ubuntu/updater": [
    ["Negligible", "Negligible"],
    ["Low", "Low"],
    ["Medium", "Medium"],
    ["High", "High"],
    ["Critical", "Critical"]
  ],
  "RHEL9-rhel-9": [
    ["Low", "Low"],
    ["Moderate", "Medium"],
    ["Important", "High"],
    ["Critical", "Critical"]
  ]
};
function distributionOf(spec) {
  const os = spec.osRelease;
  if (spec.packageManager === "rpm") {
    const major = (os["VERSION_ID"] ?? "").split(".")[0] ?? "";
    return {
      did: "rhel",
      name: "Red Hat Enterprise Linux Server",
      version: major,
      version_code_name: "",
      version_id: major,
      arch: "",
      cpe: `cpe:2.3:o:redhat:enterprise_linux:${major}:*:*:*:*:*:*:*`,
      pretty_name: `Red Hat Enterprise Linux Server ${major}`
    };
  }
  return {
    did: os["ID"] ?? "",
    name: os["NAME"] ?? "",
    version: os["VERSION"] ?? "",
    version_code_name: os["VERSION_CODENAME"] ?? "",
    version_id: os["VERSION_ID"] ?? "",
    arch: "",
    cpe: "",
    pretty_name: os["PRETTY_NAME"] ?? ""
  };
}
function cvssFor(rng) {
  const c = rng.pick(["N", "L", "H"]);
  const i = rng.pick(["N", "L", "H"]);
  const a = rng.pick(["N", "L", "H"]);
  const baseScore = Math.round((2 + rng.next() * 8) * 10) / 10;
  const baseSeverity = baseScore >= 9 ? "CRITICAL" : baseScore >= 7 ? "HIGH" : baseScore >= 4 ? "MEDIUM" : "LOW";
  return {
    version: "3.1",
    vectorString: `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:${c}/I:${i}/A:${a}`,
    baseScore,
    baseSeverity
  };
}
function makeVuln(rng, spec, dist, entry, serial, unfixed = false) {
  const fixedAt = unfixed ? entry.versions.length : rng.int(1, entry.versions.length);
  const fixed = entry.versions[fixedAt];
  const year = rng.int(2019, 2024);
  const cve = `CVE-${year}-${rng.int(1e4, 49999)}`;
  const severities = SEVERITIES[spec.updater];
  const [severity, normalized] = severities ? rng.pick(severities) : ["", "Unknown"];
  const pkgName = entry.name;
  const base = {
    updater: spec.updater,
    description: `${pkgName}: synthetic flaw ${serial} in the stand-in's vulnerability data.`,
    issued: new Date(Date.UTC(year, rng.int(0, 11), rng.int(1, 28))).toISOString().replace(".000Z", "Z"),
    package: { name: pkgName, version: "", kind: "binary" },
    match: {
      ecosystem: spec.ecosystem,
      distribution: dist?.key ?? "",
      name: pkgName,
      ...fixed ? { fixed } : {}
    }
  };
  let v;
  switch (spec.updater) {
    case "RHEL9-rhel-9":
      v = {
        ...base,
        name: `RHSA-${year}:${rng.int(1e3, 9999)}: ${entry.source ?? pkgName} security update (${severity})`,
        links: `https://access.redhat.com/errata/RHSA-${year}:${serial} https://access.redhat.com/security/cve/${cve}`,
        severity,
        normalized_severity: normalized,
        package: { ...base.package, arch: "aarch64|noarch|ppc64le|s390x|x86_64" },
        distribution: distributionOf(dist),
        repository: rhelRepository("rhel-9-for-x86_64-baseos-rpms"),
        fixed_in_version: fixed ?? "",
        arch_op: "pattern match"
      };
      break;
    case "pyupio":
      v = {
        ...base,
        name: `pyup.io-${rng.int(3e4, 7e4)} (${cve})`,
        issued: "0001-01-01T00:00:00Z",
        links: "",
        severity: "",
        normalized_severity: "Unknown",
        package: { ...base.package, version: fixed ? `<${fixed}` : "" },
        repository: LANGUAGE_REPOSITORIES.python,
        fixed_in_version: ""
      };
      break;
    case "osv/pypi":
    case "osv/go":
    case "osv/maven": {
      const id = spec.updater === "osv/go" ? `GO-${year}-${rng.int(1e3, 3e3)}` : `GHSA-${rng.hex(2)}${rng.hex(2)}-${rng.hex(2)}x${rng.hex(1)}-${rng.hex(2)}p${rng.hex(1)}`;
      const cvss = cvssFor(rng);
      v = {
        ...base,
        name: id,
        links: `https://osv.dev/vulnerability/${id} https://nvd.nist.gov/vuln/detail/${cve}`,
        severity: cvss.vectorString,
        normalized_severity: cvss.baseScore >= 9 ? "Critical" : cvss.baseScore >= 7 ? "High" : cvss.baseScore >= 4 ? "Medium" : "Low",
        repository: LANGUAGE_REPOSITORIES[spec.ecosystem],
        fixed_in_version: fixed ? `fixed=${encodeURIComponent(fixed)}&introduced=0` : "introduced=0"
      };
      break;
    }
    default:
      v = {
        ...base,
        name: cve,
        links: `https://security-tracker.debian.org/tracker/${cve}`,
        severity,
        normalized_severity: normalized,
        package: { ...base.package, version: "" },
        distribution: distributionOf(dist),
        fixed_in_version: fixed ?? ""
      };
      if (spec.updater === "ubuntu/updater") v.links = `https://ubuntu.com/security/${cve}`;
      if (spec.updater.startsWith("alpine")) v.links = `https://security.alpinelinux.org/vuln/${cve}`;
  }
  if (/CVE-\d+-\d+/.test(v.name) || v.links.includes("CVE-")) v.cvss = v.cvss ?? cvssFor(rng);
  const key = createHash3("sha256").update(
    JSON.stringify([v.updater, v.name, v.package.name, v.match.distribution, v.fixed_in_version, serial])
  ).digest("hex").slice(0, 24);
  return { key, ...v };
}
function fingerprint(...parts) {
  return createHash3("sha256").update(parts.join("\0")).digest("hex").slice(0, 32);
}
function catalogueFor(spec, dist) {
  return dist ? osCatalogue(dist) : languageCatalogue(spec.ecosystem);
}
function buildVulnDb(seed, profile) {
  const vulns = [];
  const updaters = [];
  for (const spec of UPDATERS) {
    const rng = seededRng(`vulndb:${seed}:${spec.updater}`);
    let mine = [];
    let serial = 0;
    for (const dist of spec.distributions.length ? spec.distributions : [void 0]) {
      for (const entry of catalogueFor(spec, dist)) {
        const n = rng.chance(0.45) ? rng.chance(0.3) ? 2 : 1 : 0;
        for (let i = 0; i < n; i++) mine.push(makeVuln(rng, spec, dist, entry, ++serial));
      }
    }
    const drift2 = profile.drift?.find((d) => d.updater === spec.updater);
    if (drift2) {
      const drng = seededRng(`drift:${seed}:${spec.updater}`);
      const removed = new Set(drng.shuffle(mine.map((v) => v.key)).slice(0, drift2.remove));
      mine = mine.filter((v) => !removed.has(v.key));
      for (let i = 0; i < drift2.add; i++) {
        const dist = spec.distributions.length ? drng.pick(spec.distributions) : void 0;
        mine.push(makeVuln(drng, spec, dist, drng.pick(catalogueFor(spec, dist)), 1e5 + i, true));
      }
    }
    vulns.push(...mine);
    updaters.push({
      updater: spec.updater,
      kind: "vulnerability",
      fingerprint: fingerprint(seed, spec.updater, drift2 ? JSON.stringify(drift2) : "")
    });
  }
  updaters.push({ updater: CVSS_UPDATER, kind: "enrichment", fingerprint: fingerprint(seed, CVSS_UPDATER) });
  const index = /* @__PURE__ */ new Map();
  for (const v of vulns) {
    const k = `${v.match.ecosystem}|${v.match.distribution}|${v.match.name}`;
    index.set(k, [...index.get(k) ?? [], v]);
  }
  return { updaters, vulns, index };
}
function matchPackage(db, pkg) {
  const dists = pkg.environments.map((e) => e.distribution ? distributionKey(e.distribution) : "");
  const out = [];
  for (const dist of new Set(dists)) {
    for (const v of db.index.get(`${pkg.ecosystem}|${dist}|${pkg.name}`) ?? []) {
      if (v.match.fixed === void 0 || compareVersions(pkg.version, v.match.fixed) < 0) out.push(v);
    }
  }
  return out;
}
function matchManifest(db, content) {
  return content.packages.map((pkg, i) => ({ pkg: i, vulns: matchPackage(db, pkg) })).filter((m) => m.vulns.length > 0);
}

// standin/render.ts
function idTable(rng) {
  const ids = /* @__PURE__ */ new Map();
  let next = rng.int(1, 9e4);
  return {
    id(key) {
      let id = ids.get(key);
      if (id === void 0) {
        next += rng.int(1, 5);
        id = String(next);
        ids.set(key, id);
      }
      return id;
    }
  };
}
function distribution(tables, d) {
  return { id: tables.distributions.id(JSON.stringify(d)), ...d };
}
function repository(tables, r) {
  return { id: tables.repositories.id(JSON.stringify(r)), ...r };
}
function packageOf(opts, p) {
  const { tables } = opts;
  const source = p.source ?? { name: "", version: "" };
  const sourceKey = JSON.stringify(["source", source.name, source.version]);
  const out = {
    id: tables.packages.id(JSON.stringify([p.name, p.version, p.arch ?? "", p.normalized_version, source])),
    name: p.name,
    version: p.version,
    kind: "binary",
    source: source.name ? {
      id: tables.packages.id(sourceKey),
      name: source.name,
      version: source.version,
      kind: "source",
      normalized_version: "",
      cpe: ""
    } : { id: tables.packages.id(sourceKey), name: "", version: "", normalized_version: "", cpe: "" },
    normalized_version: p.normalized_version,
    ...p.arch ? { arch: p.arch } : {},
    cpe: "",
    detector: p.detector
  };
  if (opts.flipFraction && hashFraction("flip", p.name, p.version) < opts.flipFraction && opts.rng.chance(0.5)) {
    if (out.arch) out.arch = "";
    else out.normalized_version = "";
  }
  return out;
}
function indexMaps(opts, content) {
  const { tables, rng } = opts;
  const packages = {};
  const distributions = {};
  const repositories = {};
  const environments = {};
  const packageIds = [];
  for (const d of content.distributions) {
    const rendered = distribution(tables, d);
    distributions[rendered.id] = rendered;
  }
  for (const r of content.repositories) {
    const rendered = repository(tables, r);
    repositories[rendered.id] = rendered;
  }
  for (const p of content.packages) {
    const rendered = packageOf(opts, p);
    const id = rendered.id;
    packageIds.push(id);
    packages[id] = rendered;
    const envs = p.environments.map((e) => ({
      package_db: e.package_db,
      introduced_in: e.introduced_in,
      distribution_id: e.distribution ? distribution(tables, e.distribution).id : "",
      repository_ids: e.repositories.length ? rng.shuffle(e.repositories.map((r) => repository(tables, r).id)) : null
    }));
    environments[id] = rng.shuffle([...environments[id] ?? [], ...envs]);
  }
  return { packages, distributions, repositories, environments, packageIds };
}
function renderIndexReport(opts, stored) {
  const maps = indexMaps(opts, stored.content);
  return {
    manifest_hash: stored.digest,
    state: stored.state,
    packages: maps.packages,
    distributions: maps.distributions,
    repository: maps.repositories,
    environments: maps.environments,
    success: stored.state === "IndexFinished",
    err: stored.err
  };
}
function vulnerability(opts, v) {
  const out = {
    id: opts.tables.vulnerabilities.id(v.key),
    updater: v.updater,
    name: v.name,
    description: v.description,
    issued: v.issued,
    links: v.links,
    severity: v.severity,
    normalized_severity: v.normalized_severity,
    package: { id: "", ...v.package },
    distribution: v.distribution ? { id: "", ...v.distribution } : {
      id: "",
      did: "",
      name: "",
      version: "",
      version_code_name: "",
      version_id: "",
      arch: "",
      cpe: "",
      pretty_name: ""
    },
    fixed_in_version: v.fixed_in_version
  };
  if (v.repository) {
    const { cpe, ...rest } = v.repository;
    out.repository = cpe ? { ...rest, cpe } : rest;
  }
  if (v.arch_op) out.arch_op = v.arch_op;
  return out;
}
function renderVulnerabilityReport(opts, stored, db) {
  const maps = indexMaps(opts, stored.content);
  const vulnerabilities = {};
  const packageVulnerabilities = {};
  const cvss = {};
  for (const { pkg, vulns } of matchManifest(db, stored.content)) {
    const ids = [];
    for (const v of vulns) {
      const rendered = vulnerability(opts, v);
      const id = rendered.id;
      vulnerabilities[id] = rendered;
      ids.push(id);
      if (v.cvss) cvss[id] = [v.cvss];
    }
    packageVulnerabilities[maps.packageIds[pkg]] = opts.rng.shuffle(ids);
  }
  return {
    manifest_hash: stored.digest,
    packages: maps.packages,
    distributions: maps.distributions,
    repository: maps.repositories,
    environments: maps.environments,
    vulnerabilities,
    package_vulnerabilities: packageVulnerabilities,
    enrichments: Object.keys(cvss).length ? { [CVSS_ENRICHMENT_TYPE]: [cvss] } : {}
  };
}
function shuffledJson(value, rng) {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value))
    return `[${value.map((v) => v === void 0 ? "null" : shuffledJson(v, rng)).join(",")}]`;
  const record = value;
  const keys = rng.shuffle(Object.keys(record).filter((k) => record[k] !== void 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${shuffledJson(record[k], rng)}`).join(",")}}`;
}

// standin/server.ts
var INDEX_REPORT_TYPE = "application/vnd.clair.index_report.v1+json";
var INDEX_STATE_TYPE = "application/vnd.clair.index_state.v1+json";
var INTRASERVICE_ISSUER = "clair-intraservice";
var DIGEST2 = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
var P = {
  indexReport: "/indexer/api/v1/index_report",
  indexState: "/indexer/api/v1/index_state",
  vulnerabilityReport: "/matcher/api/v1/vulnerability_report/",
  updateOperation: "/matcher/api/v1/internal/update_operation"
};
var HttpError = class extends Error {
  status;
  code;
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
};
function apiError(status, code, message, handler, subsystem) {
  return {
    status,
    headers: { "X-Content-Type-Options": "nosniff", Trailer: "Clair-Error" },
    json: { code, message },
    ...handler ? { handler } : {},
    ...subsystem ? { subsystem } : {}
  };
}
function acceptable(req, type) {
  const accept = req.headers.accept;
  if (!accept) return true;
  return accept.split(",").some((part) => {
    const t = part.split(";")[0]?.trim();
    return t === "*/*" || t === "application/*" || t === "application/json" || t === type;
  });
}
async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}
function escapeLabel(v) {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
async function startClairStandin(opts = {}) {
  const profile = resolveProfile(opts.profile);
  const seed = opts.seed ?? "clair-standin";
  const rng = randomRng();
  const started = Date.now();
  const scanners = scannerSet(profile);
  const state = indexState(scanners);
  const db = buildVulnDb(seed, profile);
  const tables = {
    packages: idTable(rng),
    distributions: idTable(rng),
    repositories: idTable(rng),
    vulnerabilities: idTable(rng)
  };
  const reports = /* @__PURE__ */ new Map();
  const layerCache = /* @__PURE__ */ new Map();
  const locks = /* @__PURE__ */ new Map();
  const key = opts.psk !== void 0 ? Buffer.from(opts.psk, "base64") : void 0;
  const issuers = [...opts.issuers ?? ["quay", "clairctl"], INTRASERVICE_ISSUER];
  const limit = opts.concurrencyLimit ?? 8;
  let inFlight = 0;
  const requestTotals = /* @__PURE__ */ new Map();
  const limited = /* @__PURE__ */ new Map();
  const bump = (m, k) => m.set(k, (m.get(k) ?? 0) + 1);
  const operations = db.updaters.map((u, i) => {
    const latest = started - (5 + i) * 6e4 - rng.int(0, 59e3);
    return [0, 1, 2].map((age) => ({
      ref: randomUUID(),
      updater: u.updater,
      fingerprint: age === 0 ? u.fingerprint : sha256Digest(`${u.fingerprint}:${age}`).slice(7, 39),
      date: new Date(latest - age * 6 * 36e5).toISOString(),
      kind: u.kind
    }));
  });
  const render = { tables, rng, ...profile.flipFraction ? { flipFraction: profile.flipFraction } : {} };
  async function authorized(req) {
    if (!key) return true;
    const m = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? "");
    if (!m) return false;
    try {
      const { payload } = await jwtVerify(m[1], key, {
        algorithms: ["HS256", "HS384", "HS512"],
        issuer: issuers,
        clockTolerance: 15
      });
      if (typeof payload.iat === "number" && payload.iat > Date.now() / 1e3 + 15) return false;
      return true;
    } catch {
      return false;
    }
  }
  async function withLock(digest, fn) {
    const previous = locks.get(digest) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => void 0);
    locks.set(digest, tail);
    try {
      return await run;
    } finally {
      if (locks.get(digest) === tail) locks.delete(digest);
    }
  }
  async function latency(kind) {
    const base = profile.latencyMs?.[kind];
    if (!base) return;
    const jitter = profile.latencyMs?.jitter ?? 0;
    await sleep(Math.max(0, base * (1 + (rng.next() * 2 - 1) * jitter)));
  }
  async function fetchLayer(layer) {
    const headers = {};
    for (const [name, values] of Object.entries(layer.headers ?? {})) headers[name] = values.join(", ");
    let res;
    try {
      res = await (0, import_undici.fetch)(layer.uri, { headers, signal: AbortSignal.timeout(6e4) });
    } catch (e) {
      throw new Error(
        `fetcher: encountered error while fetching a layer: Get "${layer.uri}": ${e.message}`
      );
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) {
      throw new Error(
        `fetcher: encountered error while fetching a layer: unexpected status code: ${res.status} ${res.statusText}`
      );
    }
    const got = sha256Digest(bytes);
    if (got !== layer.hash) throw new Error(`fetcher: layer ${layer.hash}: digest mismatch: got ${got}`);
    const compression = sniffCompression(bytes);
    const type = (res.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
    const claimed = /zstd/.test(type) ? "zstd" : /gzip/.test(type) ? "gzip" : /tar$/.test(type) ? "none" : void 0;
    if (claimed && claimed !== compression) {
      throw new Error(`fetcher: layer ${layer.hash}: content type ${type} but the blob is ${compression}`);
    }
    let files;
    try {
      files = await readTar(decompress(bytes, compression));
    } catch (e) {
      throw new HttpError(
        400,
        "bad-request",
        `tarfs: format error: layer ${layer.hash}: ${e.message}`
      );
    }
    return scanLayer(files, profile);
  }
  async function index(manifest) {
    const existing = reports.get(manifest.hash);
    if (existing?.state === "IndexFinished") return existing;
    const layers = manifest.layers.map((l) => l.hash);
    const fail = (err) => {
      const stored2 = {
        digest: manifest.hash,
        state: "IndexError",
        err,
        content: { distributions: [], repositories: [], packages: [] },
        layers
      };
      reports.set(manifest.hash, stored2);
      return stored2;
    };
    const contents = /* @__PURE__ */ new Map();
    try {
      for (const layer of manifest.layers) {
        let scanned = layerCache.get(layer.hash) ?? contents.get(layer.hash);
        if (!scanned) {
          scanned = await fetchLayer(layer);
          layerCache.set(layer.hash, scanned);
        }
        contents.set(layer.hash, scanned);
      }
    } catch (e) {
      const stored2 = fail(`failed to fetch layers: ${e.message}`);
      if (e instanceof HttpError) throw new HttpError(e.status, e.code, `failed to start scan: ${stored2.err}`);
      throw new HttpError(500, "internal-error", `failed to start scan: ${stored2.err}`);
    }
    if (profile.indexErrorFraction && hashFraction("index-error", manifest.hash) < profile.indexErrorFraction) {
      const stored2 = fail(
        "failed to scan all layer contents: scanner: python/3: unexpected EOF reading METADATA"
      );
      throw new HttpError(500, "internal-error", `failed to start scan: ${stored2.err}`);
    }
    const content = coalesce(
      manifest.layers.map((l) => ({ digest: l.hash, contents: contents.get(l.hash) }))
    );
    const stored = { digest: manifest.hash, state: "IndexFinished", err: "", content, layers };
    reports.set(manifest.hash, stored);
    return stored;
  }
  function deleteReport(digest) {
    const had = reports.delete(digest);
    const referenced = new Set([...reports.values()].flatMap((r) => r.layers));
    for (const layer of [...layerCache.keys()]) if (!referenced.has(layer)) layerCache.delete(layer);
    return had;
  }
  const etag = `"${state}"`;
  const unmodified = (req, tag) => req.headers["if-none-match"] === tag;
  async function postIndexReport(req) {
    const h = P.indexReport;
    let manifest;
    try {
      manifest = JSON.parse((await readBody(req)).toString("utf8"));
      if (typeof manifest !== "object" || manifest === null) throw new Error("not an object");
      if (manifest.hash && !DIGEST2.test(manifest.hash)) throw new Error(`invalid digest "${manifest.hash}"`);
      for (const l of manifest.layers ?? [])
        if (!DIGEST2.test(l.hash ?? "")) throw new Error(`invalid layer digest "${l.hash}"`);
    } catch (e) {
      return apiError(
        400,
        "bad-request",
        `failed to deserialize manifest: ${e.message}`,
        h,
        "indexerv1"
      );
    }
    if (!manifest.hash || !Array.isArray(manifest.layers) || manifest.layers.length === 0) {
      return apiError(400, "bad-request", "bogus manifest", h, "indexerv1");
    }
    if (unmodified(req, etag)) return { status: 412, handler: h, subsystem: "indexerv1" };
    await latency("index");
    try {
      const stored = await withLock(manifest.hash, () => index(manifest));
      return {
        status: 201,
        handler: h,
        subsystem: "indexerv1",
        headers: {
          "Content-Type": INDEX_REPORT_TYPE,
          Etag: etag,
          Location: `${P.indexReport}/${manifest.hash}`,
          Link: [
            `<${P.indexReport}/${manifest.hash}>; rel="https://projectquay.io/clair/v1/index_report"`,
            `<${P.vulnerabilityReport}${manifest.hash}>; rel="https://projectquay.io/clair/v1/vulnerability_report"`
          ]
        },
        json: renderIndexReport(render, stored)
      };
    } catch (e) {
      if (e instanceof HttpError) return apiError(e.status, e.code, e.message, h, "indexerv1");
      throw e;
    }
  }
  async function route(req, url) {
    const method = req.method ?? "GET";
    const path = url.pathname;
    const notAllowed = (handler, subsystem) => apiError(405, "method-not-allowed", `method disallowed: ${method}`, handler, subsystem);
    if (path === P.indexReport) {
      if (method === "POST") return postIndexReport(req);
      if (method === "DELETE") {
        let digests;
        try {
          digests = JSON.parse((await readBody(req)).toString("utf8"));
          if (!Array.isArray(digests) || digests.some((d) => typeof d !== "string" || !DIGEST2.test(d)))
            throw new Error("want an array of digests");
        } catch (e) {
          return apiError(
            400,
            "bad-request",
            `failed to deserialize bulk delete: ${e.message}`,
            path,
            "indexerv1"
          );
        }
        const deleted = digests.filter((d) => deleteReport(d));
        return {
          status: 200,
          handler: path,
          subsystem: "indexerv1",
          headers: { "Content-Type": "application/json" },
          json: deleted
        };
      }
      return notAllowed(path, "indexerv1");
    }
    if (path.startsWith(`${P.indexReport}/`)) {
      const h = `${P.indexReport}/:digest`;
      const digest = decodeURIComponent(path.slice(P.indexReport.length + 1));
      if (method === "DELETE") {
        if (!DIGEST2.test(digest))
          return apiError(400, "bad-request", `malformed digest: ${digest}`, h, "indexerv1");
        deleteReport(digest);
        return { status: 204, handler: h, subsystem: "indexerv1" };
      }
      if (method !== "GET") return notAllowed(h, "indexerv1");
      if (!acceptable(req, INDEX_REPORT_TYPE))
        return apiError(415, "internal-error", "unable to negotiate common content type", h, "indexerv1");
      if (unmodified(req, etag))
        return { status: 304, handler: h, subsystem: "indexerv1", headers: { Etag: etag } };
      if (!DIGEST2.test(digest))
        return apiError(400, "bad-request", `malformed digest: ${digest}`, h, "indexerv1");
      await latency("report");
      const stored = reports.get(digest);
      if (!stored)
        return apiError(404, "not-found", `index report for manifest "${digest}" not found`, h, "indexerv1");
      return {
        status: 200,
        handler: h,
        subsystem: "indexerv1",
        headers: { "Content-Type": INDEX_REPORT_TYPE, Etag: etag },
        json: renderIndexReport(render, stored)
      };
    }
    if (path === P.indexState) {
      if (method !== "GET") return notAllowed(path, "indexerv1");
      if (!acceptable(req, INDEX_STATE_TYPE))
        return apiError(415, "internal-error", "unable to negotiate common content type", path, "indexerv1");
      if (unmodified(req, etag))
        return { status: 304, handler: path, subsystem: "indexerv1", headers: { Etag: etag } };
      return {
        status: 200,
        handler: path,
        subsystem: "indexerv1",
        headers: { "Content-Type": INDEX_STATE_TYPE, Etag: etag },
        json: { state }
      };
    }
    if (path.startsWith(P.vulnerabilityReport)) {
      const h = P.vulnerabilityReport;
      if (method !== "GET") return notAllowed(h, "matcherv1");
      if (Date.now() - started < (opts.matcherReadyAfterMs ?? 0))
        return { status: 202, handler: h, subsystem: "matcherv1" };
      const digest = decodeURIComponent(path.slice(h.length));
      if (!DIGEST2.test(digest))
        return apiError(400, "bad-request", `malformed digest: ${digest}`, h, "matcherv1");
      await latency("report");
      const stored = reports.get(digest);
      if (!stored || stored.state !== "IndexFinished") {
        return apiError(404, "not-found", `index report for manifest "${digest}" not found`, h, "matcherv1");
      }
      return {
        status: 200,
        handler: h,
        subsystem: "matcherv1",
        // Clair v4.9+ really sends the index report type here.
        headers: { "Content-Type": INDEX_REPORT_TYPE, "Cache-Control": "max-age=300" },
        json: renderVulnerabilityReport(render, stored, db)
      };
    }
    if (path === P.updateOperation) {
      if (method !== "GET") return notAllowed(path, "matcherv1");
      const kind = url.searchParams.get("kind") ?? "vulnerability";
      if (kind !== "vulnerability" && kind !== "enrichment") {
        return apiError(400, "bad-request", `unknown kind: "${kind}"`, path, "matcherv1");
      }
      const latestOnly = url.searchParams.get("latest") === "true";
      const body = {};
      let newest;
      for (const ops of operations) {
        const first = ops[0];
        if (!first || first.kind !== kind) continue;
        body[first.updater] = latestOnly ? [first] : ops;
        if (!newest || first.date > newest.date) newest = first;
      }
      const tag = `"${newest?.ref ?? ""}"`;
      if (unmodified(req, tag))
        return { status: 304, handler: path, subsystem: "matcherv1", headers: { Etag: tag } };
      return {
        status: 200,
        handler: path,
        subsystem: "matcherv1",
        headers: { "Content-Type": "application/json", Etag: tag },
        json: body
      };
    }
    return apiError(404, "not-found", `no handler for ${path}`);
  }
  function send(req, res, reply, truncate) {
    if (reply.handler && reply.subsystem) {
      bump(
        requestTotals,
        `${reply.subsystem}\0${reply.handler}\0${reply.status}\0${(req.method ?? "GET").toLowerCase()}`
      );
    }
    const headers = { ...reply.headers };
    let body;
    if (reply.json !== void 0) {
      body = Buffer.from(shuffledJson(reply.json, rng));
      headers["Content-Type"] ??= "application/json";
    } else if (reply.text !== void 0) {
      body = Buffer.from(reply.text);
    }
    const chunked = headers["Trailer"] !== void 0;
    if (body && !chunked) headers["Content-Length"] = body.length;
    res.writeHead(reply.status, headers);
    if (truncate && body && body.length > 1 && !chunked) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.end());
      return;
    }
    res.end(body);
  }
  function pickFault() {
    const f = profile.faults;
    if (!f) return void 0;
    let roll = rng.next();
    for (const kind of ["reset", "html", "emptyUnauthorized", "truncated"]) {
      roll -= f[kind] ?? 0;
      if (roll < 0) return kind;
    }
    return void 0;
  }
  const api = createServer2((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://standin.invalid");
      if (url.pathname === "/robots.txt")
        return send(req, res, { status: 200, text: "User-agent: *\nDisallow: /\n" }, false);
      const fault = pickFault();
      if (fault === "reset") {
        req.socket.destroy();
        return;
      }
      if (fault === "html") {
        const html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n";
        return send(req, res, { status: 502, headers: { "Content-Type": "text/html" }, text: html }, false);
      }
      if (fault === "emptyUnauthorized" || !await authorized(req))
        return send(req, res, { status: 401 }, false);
      const limitedRoute = req.method === "POST" && url.pathname.startsWith("/indexer/") || url.pathname === P.indexReport;
      if (limitedRoute && limit >= 0 && inFlight >= limit) {
        bump(limited, `${url.pathname}\0${(req.method ?? "GET").toLowerCase()}`);
        return send(req, res, apiError(429, "too-many-requests", "server handling too many requests"), false);
      }
      if (limitedRoute) inFlight++;
      try {
        send(req, res, await route(req, url), fault === "truncated");
      } finally {
        if (limitedRoute) inFlight--;
      }
    })().catch((e) => {
      if (!res.headersSent) send(req, res, apiError(500, "internal-error", e.message), false);
      else res.destroy();
    });
  });
  function metrics() {
    const lines = [
      "# HELP clair_cmd_version_info Version information.",
      "# TYPE clair_cmd_version_info gauge",
      `clair_cmd_version_info{claircore_version="v1.5.52",goversion="go1.24.4",modified="false",revision="${escapeLabel(opts.revision ?? "eb22407da3d3ee32534ed956be3696080754288d")}",version="${escapeLabel(opts.version ?? "v4.9.0")}"} 1`
    ];
    for (const subsystem of ["indexerv1", "matcherv1"]) {
      lines.push(
        `# HELP clair_http_${subsystem}_request_total A total count of http requests by handler, code and method.`
      );
      lines.push(`# TYPE clair_http_${subsystem}_request_total counter`);
      for (const [k, n] of requestTotals) {
        const [sub, handler, code, method] = k.split("\0");
        if (sub === subsystem)
          lines.push(
            `clair_http_${subsystem}_request_total{code="${code}",handler="${escapeLabel(handler)}",method="${method}"} ${n}`
          );
      }
    }
    lines.push(
      "# HELP clair_http_concurrencylimited_total Total number of requests rejected by the concurrency limiter."
    );
    lines.push("# TYPE clair_http_concurrencylimited_total counter");
    for (const [k, n] of limited) {
      const [endpoint, method] = k.split("\0");
      lines.push(
        `clair_http_concurrencylimited_total{endpoint="${escapeLabel(endpoint)}",method="${method}"} ${n}`
      );
    }
    return lines.join("\n") + "\n";
  }
  const introspection = createServer2((req, res) => {
    const path = new URL(req.url ?? "/", "http://standin.invalid").pathname;
    const plain = (status, body, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.method !== "GET") return plain(405, "method not allowed\n");
    if (path === "/healthz") return plain(200, "ok");
    if (path === "/readyz")
      return Date.now() - started >= (opts.readyAfterMs ?? 0) ? plain(200, "") : plain(503, "");
    if (path === "/metrics") return plain(200, metrics(), "text/plain; version=0.0.4; charset=utf-8");
    return plain(404, "404 page not found\n");
  });
  const listen = (server) => new Promise(
    (resolve2) => server.listen(0, "127.0.0.1", () => resolve2(server.address().port))
  );
  const close = (server) => new Promise((resolve2, reject) => {
    server.close((err) => err ? reject(err) : resolve2());
    server.closeAllConnections();
  });
  const [apiPort, introspectionPort] = await Promise.all([listen(api), listen(introspection)]);
  return {
    url: `http://127.0.0.1:${apiPort}`,
    introspectionUrl: `http://127.0.0.1:${introspectionPort}`,
    close: async () => {
      await Promise.all([close(api), close(introspection)]);
    }
  };
}

// demo/scenario.ts
var CANARY_REVISION = "c1a1c4a7e5e0d3b2a1f0e9d8c7b6a5f4e3d2c1b0";
async function startScenario(opts) {
  const psk = randomBytes2(32).toString("base64");
  const images = generateCorpus({ seed: opts.corpusSeed ?? "clair-canary-demo", count: opts.count });
  const closers = [];
  try {
    const blobs = await startBlobServer({ blobs: corpusBlobs(images) });
    closers.push(() => blobs.close());
    const limit = opts.concurrencyLimit !== void 0 ? { concurrencyLimit: opts.concurrencyLimit } : {};
    const production2 = await startClairStandin({ psk, seed: "demo-vulndb", profile: "production", ...limit });
    closers.push(() => production2.close());
    const canary = await startClairStandin({
      psk,
      seed: "demo-vulndb",
      profile: opts.canaryProfile,
      revision: CANARY_REVISION,
      ...limit
    });
    closers.push(() => canary.close());
    const manifests = corpusManifests(images, blobs.url);
    await preindex(production2.url, manifests, psk);
    return {
      psk,
      images,
      manifests,
      blobs,
      production: production2,
      canary,
      inputs: {
        "canary-url": canary.url,
        "canary-introspection-url": canary.introspectionUrl,
        "canary-psk": psk,
        "production-url": production2.url,
        "production-introspection-url": production2.introspectionUrl,
        "expect-revision": CANARY_REVISION,
        "ready-timeout": "30",
        "sample-size": String(opts.count),
        rate: "40",
        concurrency: "6",
        "production-rate": "50",
        "reread-fraction": "0.1",
        checks: "false",
        artifacts: "false"
      },
      close: async () => {
        await Promise.allSettled(closers.reverse().map((c) => c()));
      }
    };
  } catch (error) {
    await Promise.allSettled(closers.reverse().map((c) => c()));
    throw error;
  }
}
async function preindex(url, manifests, psk) {
  const signer = new PskSigner(new Secret(new Uint8Array(Buffer.from(psk, "base64"))), "quay");
  let next = 0;
  const worker = async () => {
    while (next < manifests.length) {
      const manifest = manifests[next++];
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(new URL("indexer/api/v1/index_report", url), {
          method: "POST",
          headers: { authorization: `Bearer ${await signer.token()}`, "content-type": "application/json" },
          body: JSON.stringify(manifest)
        });
        await res.arrayBuffer();
        if (res.status !== 429 || attempt > 20) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

// demo/demo.ts
async function runDemo(args) {
  let values;
  try {
    values = parseArgs({
      args,
      options: { clean: { type: "boolean" }, "run-dir": { type: "string" }, count: { type: "string" } },
      strict: true
    }).values;
  } catch (error) {
    throw new UserError(`demo: ${errorMessage(error)}`);
  }
  const clean = values["clean"] === true;
  const runDir = resolve(values["run-dir"] ?? "clair-canary-run");
  const count = Number(values["count"] ?? 200);
  if (!Number.isInteger(count) || count < 1)
    throw new UserError("demo: --count expects a whole number above 0");
  const profile = clean ? "clean" : "demo";
  const say = (line) => console.log(line);
  const shown = (path) => relative(process.cwd(), path) || path;
  say(
    `clair-canary demo: ${count} synthetic manifests; production stand-in vs canary stand-in (profile "${profile}")`
  );
  const scenario = await startScenario({ count, canaryProfile: profile });
  const work = await mkdtemp(join(tmpdir(), "clair-canary-demo-"));
  try {
    const manifestsFile = join(work, "manifests.jsonl");
    await writeFile(manifestsFile, scenario.manifests.map((m) => JSON.stringify(m)).join("\n") + "\n");
    const inputs = {
      ...scenario.inputs,
      manifests: manifestsFile,
      seed: "demo",
      "run-dir": runDir
    };
    const { config } = await buildConfig((name) => inputs[name]);
    const outcome = await runPipeline(config, {
      log: { info: (l) => say(`  ${l}`), warning: (l) => say(`  warning: ${l}`) }
    });
    const { result } = outcome;
    say("");
    say(`verdict: ${result.verdict.toUpperCase()}`);
    for (const reason of result.reasons) say(`  - ${reason}`);
    say("");
    for (const gate of result.gates) say(`  ${gate.decision.padEnd(12)} ${gate.name}: ${gate.detail}`);
    say("");
    say(`summary:     ${shown(outcome.summaryPath)}`);
    say(`html report: ${shown(outcome.htmlPath)}`);
    say(`run dir:     ${shown(runDir)}`);
    const expected = clean ? "pass" : "fail";
    if (result.verdict !== expected) {
      say(
        `
the demo planted the "${profile}" scenario and expected ${expected}, but the verdict is ${result.verdict}`
      );
      return 1;
    }
    say(
      `
as planted: the "${profile}" scenario gives ${expected}${clean ? "" : " (run with --clean to see a pass)"}`
    );
    return 0;
  } finally {
    await Promise.allSettled([scenario.close(), rm(work, { recursive: true, force: true })]);
  }
}
export {
  runDemo
};

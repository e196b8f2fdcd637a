// Layer archives. Writing is synchronous (the corpus API is synchronous and tar-stream's packer is
// a stream that only yields asynchronously), so ustar headers are encoded here; reading uses
// tar-stream's extractor, which also proves the archives we write are well-formed.
import { Readable } from 'node:stream'
import { gunzipSync, zstdDecompressSync } from 'node:zlib'
import tar from 'tar-stream'

export interface TarFile {
  path: string
  content: Buffer | string
}

const BLOCK = 512
// A fixed mtime keeps blobs (and so digests) reproducible from the seed.
const MTIME = 1_700_000_000

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0'
}

function header(path: string, size: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(BLOCK)
  let name = path
  let prefix = ''
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', 155)
    prefix = path.slice(0, cut)
    name = path.slice(cut + 1)
    if (cut < 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) {
      throw new Error(`tar path too long for ustar: ${path}`)
    }
  }
  h.write(name, 0, 100, 'utf8')
  h.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'ascii')
  h.write(octal(0, 8), 108, 'ascii')
  h.write(octal(0, 8), 116, 'ascii')
  h.write(octal(size, 12), 124, 'ascii')
  h.write(octal(MTIME, 12), 136, 'ascii')
  h.write('        ', 148, 'ascii')
  h.write(type, 156, 'ascii')
  h.write('ustar\0' + '00', 257, 'ascii')
  h.write('root', 265, 'ascii')
  h.write('root', 297, 'ascii')
  h.write(prefix, 345, 155, 'utf8')
  let sum = 0
  for (const byte of h) sum += byte
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii')
  return h
}

/** A tar archive with the files (and their parent directories), ending in two zero blocks. */
export function writeTar(files: readonly TarFile[]): Buffer {
  const parts: Buffer[] = []
  const dirs = new Set<string>()
  for (const file of files) {
    const segments = file.path.split('/')
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/') + '/'
      if (!dirs.has(dir)) {
        dirs.add(dir)
        parts.push(header(dir, 0, '5'))
      }
    }
    const content = typeof file.content === 'string' ? Buffer.from(file.content) : file.content
    parts.push(header(file.path, content.length, '0'), content)
    const pad = (BLOCK - (content.length % BLOCK)) % BLOCK
    if (pad) parts.push(Buffer.alloc(pad))
  }
  parts.push(Buffer.alloc(BLOCK * 2))
  return Buffer.concat(parts)
}

export type Compression = 'gzip' | 'zstd' | 'none'

/** What claircore's fetcher does: look at the magic bytes, not at what the server claims. */
export function sniffCompression(bytes: Buffer): Compression {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip'
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0xfd2fb528) return 'zstd'
  return 'none'
}

export function decompress(bytes: Buffer, compression: Compression): Buffer {
  if (compression === 'gzip') return gunzipSync(bytes)
  if (compression === 'zstd') return zstdDecompressSync(bytes)
  return bytes
}

/** Regular files of a tar archive by path (leading "./" and "/" removed). Rejects a malformed archive. */
export async function readTar(archive: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  const extract = tar.extract()
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (entry, stream, next) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: unknown) => {
        chunks.push(chunk as Buffer)
      })
      stream.on('end', () => {
        if (entry.type === 'file') files.set(entry.name.replace(/^(\.\/|\/)+/, ''), Buffer.concat(chunks))
        next()
      })
      stream.on('error', reject)
    })
    extract.on('finish', resolve)
    extract.on('error', reject)
  })
  Readable.from([archive]).pipe(extract)
  await done
  return files
}

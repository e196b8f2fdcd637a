// The Quay tables the sampler reads, with Quay's table and column names (FACTS section 5), so tests and
// the demo work without ../shared. Only what the sampler and the seeder touch; real Quay has more columns.
// Enumeration ids (mediatype, tagkind, ...) are install-specific in Quay: queries join on `name`.

export const QUAY_TABLES = [
  'user',
  'repository',
  'visibility',
  'mediatype',
  'manifest',
  'manifestblob',
  'imagestorage',
  'tag',
  'manifestsecuritystatus',
] as const

/** Tables every sampler query needs SELECT on. */
export const SAMPLER_TABLES: readonly string[] = QUAY_TABLES

export const QUAY_SCHEMA_SQL = `
CREATE TABLE "user" (
  id           SERIAL PRIMARY KEY,
  uuid         VARCHAR(36),
  username     VARCHAR(255) NOT NULL,
  email        VARCHAR(255) NOT NULL,
  verified     BOOLEAN NOT NULL DEFAULT true,
  organization BOOLEAN NOT NULL DEFAULT false,
  robot        BOOLEAN NOT NULL DEFAULT false,
  invoice_email BOOLEAN NOT NULL DEFAULT false,
  last_invalid_login TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX user_username ON "user" (username);

CREATE TABLE visibility (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL);
CREATE UNIQUE INDEX visibility_name ON visibility (name);
CREATE TABLE repositorykind (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL);
CREATE UNIQUE INDEX repositorykind_name ON repositorykind (name);

-- state: 0 NORMAL, 1 READ_ONLY, 2 MIRROR, 3 MARKED_FOR_DELETION, 4 ORG_MIRROR
CREATE TABLE repository (
  id                SERIAL PRIMARY KEY,
  namespace_user_id INTEGER REFERENCES "user" (id),
  name              VARCHAR(255) NOT NULL,
  visibility_id     INTEGER NOT NULL REFERENCES visibility (id),
  badge_token       VARCHAR(255) NOT NULL DEFAULT '',
  kind_id           INTEGER NOT NULL DEFAULT 1 REFERENCES repositorykind (id),
  state             INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX repository_namespace_user_id_name ON repository (namespace_user_id, name);

CREATE TABLE mediatype (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL);
CREATE UNIQUE INDEX mediatype_name ON mediatype (name);

-- content_checksum = blob digest; cas_path selects sha256/<2 hex>/<hex> over sharedimages/<uuid>/layer
CREATE TABLE imagestorage (
  id                SERIAL PRIMARY KEY,
  uuid              VARCHAR(255) NOT NULL,
  image_size        BIGINT,
  uncompressed_size BIGINT,
  uploading         BOOLEAN,
  cas_path          BOOLEAN NOT NULL DEFAULT false,
  content_checksum  VARCHAR(255)
);
CREATE UNIQUE INDEX imagestorage_uuid ON imagestorage (uuid);
CREATE INDEX imagestorage_content_checksum ON imagestorage (content_checksum);

CREATE TABLE imagestoragelocation (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL);
CREATE UNIQUE INDEX imagestoragelocation_name ON imagestoragelocation (name);
CREATE TABLE imagestorageplacement (
  id          SERIAL PRIMARY KEY,
  storage_id  INTEGER NOT NULL REFERENCES imagestorage (id),
  location_id INTEGER NOT NULL REFERENCES imagestoragelocation (id)
);
CREATE UNIQUE INDEX imagestorageplacement_storage_id_location_id ON imagestorageplacement (storage_id, location_id);

-- one row per (repository, digest): the same digest recurs across repositories
CREATE TABLE manifest (
  id                SERIAL PRIMARY KEY,
  repository_id     INTEGER NOT NULL REFERENCES repository (id),
  digest            VARCHAR(255) NOT NULL,
  media_type_id     INTEGER NOT NULL REFERENCES mediatype (id),
  manifest_bytes    TEXT NOT NULL,
  config_media_type VARCHAR(255),
  layers_compressed_size BIGINT
);
CREATE UNIQUE INDEX manifest_repository_id_digest ON manifest (repository_id, digest);
CREATE INDEX manifest_digest ON manifest (digest);
CREATE INDEX manifest_media_type_id ON manifest (media_type_id);

-- an unordered set (layers + config); layer order comes from manifest_bytes
CREATE TABLE manifestblob (
  id            BIGSERIAL PRIMARY KEY,
  repository_id INTEGER NOT NULL REFERENCES repository (id),
  manifest_id   INTEGER NOT NULL REFERENCES manifest (id),
  blob_id       INTEGER NOT NULL REFERENCES imagestorage (id)
);
CREATE UNIQUE INDEX manifestblob_manifest_id_blob_id ON manifestblob (manifest_id, blob_id);
CREATE INDEX manifestblob_blob_id ON manifestblob (blob_id);

CREATE TABLE tagkind (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL);
CREATE UNIQUE INDEX tagkind_name ON tagkind (name);
-- alive: lifetime_end_ms IS NULL OR lifetime_end_ms > now_ms; visible: hidden = false
CREATE TABLE tag (
  id                SERIAL PRIMARY KEY,
  name              VARCHAR(255) NOT NULL,
  repository_id     INTEGER NOT NULL REFERENCES repository (id),
  manifest_id       INTEGER REFERENCES manifest (id),
  lifetime_start_ms BIGINT NOT NULL,
  lifetime_end_ms   BIGINT,
  hidden            BOOLEAN NOT NULL DEFAULT false,
  reversion         BOOLEAN NOT NULL DEFAULT false,
  tag_kind_id       INTEGER NOT NULL REFERENCES tagkind (id),
  linked_tag_id     INTEGER REFERENCES tag (id),
  immutable         BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX tag_manifest_id ON tag (manifest_id);
-- a manifest list or index and each of its manifests (10f45ee2310b_add_tag_tagkind_and_manifestchild_tables.py)
CREATE TABLE manifestchild (
  id                SERIAL PRIMARY KEY,
  repository_id     INTEGER NOT NULL REFERENCES repository (id),
  manifest_id       INTEGER NOT NULL REFERENCES manifest (id),
  child_manifest_id INTEGER NOT NULL REFERENCES manifest (id)
);
CREATE INDEX manifestchild_child_manifest_id ON manifestchild (child_manifest_id);
CREATE INDEX manifestchild_manifest_id ON manifestchild (manifest_id);
CREATE UNIQUE INDEX manifestchild_manifest_id_child_manifest_id ON manifestchild (manifest_id, child_manifest_id);
CREATE UNIQUE INDEX tag_repository_id_name_lifetime_end_ms ON tag (repository_id, name, lifetime_end_ms);

-- index_status: -4 SCAN_RETRIES_EXHAUSTED, -3 MANIFEST_LAYER_TOO_LARGE, -2 MANIFEST_UNSUPPORTED,
--               -1 FAILED, 0 PENDING, 1 IN_PROGRESS, 2 COMPLETED; indexer_version 4 = Clair v4
CREATE TABLE manifestsecuritystatus (
  id              SERIAL PRIMARY KEY,
  manifest_id     INTEGER NOT NULL REFERENCES manifest (id),
  repository_id   INTEGER NOT NULL REFERENCES repository (id),
  index_status    INTEGER NOT NULL,
  error_json      TEXT NOT NULL,
  last_indexed    TIMESTAMP WITHOUT TIME ZONE NOT NULL,
  indexer_hash    VARCHAR(128) NOT NULL,
  indexer_version INTEGER NOT NULL,
  metadata_json   TEXT NOT NULL
);
CREATE UNIQUE INDEX manifestsecuritystatus_manifest_id ON manifestsecuritystatus (manifest_id);
CREATE INDEX manifestsecuritystatus_index_status ON manifestsecuritystatus (index_status);
`

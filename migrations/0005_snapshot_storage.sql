-- Snapshot parts are deflated already: store them out of line without trying to compress them
-- again (pglz spent about 0.3 s on a 100k-entry snapshot's 12 MB, on PGlite's event loop).
ALTER TABLE "snapshots" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;

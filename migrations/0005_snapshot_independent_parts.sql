-- Snapshot parts are now deflated one by one, so they inflate side by side; older snapshots were
-- one deflate stream cut into parts. Drop them: they are a cache of the log, which stays whole,
-- and a load writes a fresh snapshot when its tail is long.
DELETE FROM "snapshots";

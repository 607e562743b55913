CREATE TABLE "entry_search" (
	"incident_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"search" "tsvector" NOT NULL,
	CONSTRAINT "entry_search_incident_id_id_pk" PRIMARY KEY("incident_id","id")
);
--> statement-breakpoint
-- The document kept in the row, where search reads it for every candidate (as 0021 did for entries).
ALTER TABLE "entry_search" ALTER COLUMN "search" SET STORAGE MAIN;--> statement-breakpoint
CREATE TABLE "search_progress" (
	"incident_id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"entry" text
);
--> statement-breakpoint
-- What was indexed when the entry was written moves to the index as it is: it is caught up (and
-- incident_terms, made from the same documents, is too).
INSERT INTO "entry_search" ("incident_id", "id", "kind", "at", "search")
  SELECT "incident_id", "id", "kind", "at", "search" FROM "entries";--> statement-breakpoint
INSERT INTO "search_progress" ("incident_id", "seq") SELECT "id", "last_seq" FROM "incidents";--> statement-breakpoint
-- 0022's word records follow the search index instead of the entries: kept by the indexer's pass
-- after the commit, and a purge (which deletes the entry's index row) still takes its words out.
DROP TRIGGER "entries_terms_add" ON "entries";--> statement-breakpoint
DROP TRIGGER "entries_terms_forget" ON "entries";--> statement-breakpoint
CREATE OR REPLACE FUNCTION incident_terms_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH gone AS (
    SELECT DISTINCT o.incident_id, u.lexeme FROM old_entries o CROSS JOIN unnest(o.search) u
  ), still AS (
    SELECT g.incident_id, g.lexeme, bit_or(entry_kind_bit(e.kind)) AS kinds
    FROM entry_search e CROSS JOIN unnest(e.search) u
    JOIN gone g ON g.incident_id = e.incident_id AND g.lexeme = u.lexeme
    WHERE e.incident_id IN (SELECT incident_id FROM gone)
    GROUP BY 1, 2
  ), dropped AS (
    DELETE FROM incident_terms t USING gone g
    WHERE t.lexeme = g.lexeme AND t.incident_id = g.incident_id
      AND NOT EXISTS (SELECT 1 FROM still s WHERE s.incident_id = g.incident_id AND s.lexeme = g.lexeme)
  )
  UPDATE incident_terms t SET kinds = s.kinds FROM still s
  WHERE t.lexeme = s.lexeme AND t.incident_id = s.incident_id AND t.kinds <> s.kinds;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER entry_search_terms_add AFTER INSERT ON entry_search REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION incident_terms_add();--> statement-breakpoint
CREATE TRIGGER entry_search_terms_forget AFTER DELETE ON entry_search REFERENCING OLD TABLE AS old_entries
  FOR EACH STATEMENT EXECUTE FUNCTION incident_terms_forget();--> statement-breakpoint
-- The word records' key check against incidents went per row written (an SPI lookup and a share
-- lock of the incident's row: about half the trigger's time); their rows come only from
-- entry_search, made from entries, which keeps the key (and incidents are never deleted).
ALTER TABLE "incident_terms" DROP CONSTRAINT "incident_terms_incident_id_incidents_id_fk";--> statement-breakpoint
DROP INDEX "entries_at";--> statement-breakpoint
DROP INDEX "entries_search";--> statement-breakpoint
ALTER TABLE "search_progress" ADD CONSTRAINT "search_progress_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entry_search_at" ON "entry_search" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "entry_search_search" ON "entry_search" USING gin ("search") WITH (gin_pending_list_limit=256);--> statement-breakpoint
ALTER TABLE "entries" DROP COLUMN "search";
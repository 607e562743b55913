DROP INDEX "entries_search";--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple', coalesce(title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(data->>'rationale', '')), 'B')
    || setweight(to_tsvector('simple', body), case
      when kind in ('theory', 'rejection', 'reopen', 'decision') then 'B'::"char"
      when kind in ('transcript', 'note') then 'D'::"char"
      else 'C'::"char" end)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "incidents_search" ON "incidents" USING gin ("search");--> statement-breakpoint
CREATE INDEX "entries_search" ON "entries" USING gin ("search");
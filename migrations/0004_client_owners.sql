CREATE TABLE "clients" (
	"incident_id" text NOT NULL,
	"client" bigint NOT NULL,
	"token_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clients_incident_id_client_pk" PRIMARY KEY("incident_id","client")
);
--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;
CREATE TABLE `chat_bindings` (
	`kind` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`chat_id` text NOT NULL,
	`bound_by` text,
	`bound_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `name`)
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`job` text NOT NULL,
	`slot` integer NOT NULL,
	`status` text NOT NULL,
	`instance` text,
	`attempts` integer DEFAULT 1 NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`error` text,
	`queued` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`job`, `slot`)
);
--> statement-breakpoint
CREATE INDEX `job_runs_status` ON `job_runs` (`status`);--> statement-breakpoint
CREATE TABLE `nag_log` (
	`hazard_id` integer NOT NULL,
	`recipient` text NOT NULL,
	`day` text NOT NULL,
	`level` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`hazard_id`, `recipient`, `day`)
);
--> statement-breakpoint
ALTER TABLE `hazards` ADD `next_nag_at` integer;
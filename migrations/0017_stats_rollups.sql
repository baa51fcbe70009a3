CREATE TABLE `stats_calendar` (
	`day` integer PRIMARY KEY NOT NULL,
	`month` integer NOT NULL,
	`year` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stats_rollup` (
	`grain` text NOT NULL,
	`bucket` integer NOT NULL,
	`township` text NOT NULL,
	`sector` text NOT NULL,
	`found` integer DEFAULT 0 NOT NULL,
	`rectified` integer DEFAULT 0 NOT NULL,
	`major_found` integer DEFAULT 0 NOT NULL,
	`major_rectified` integer DEFAULT 0 NOT NULL,
	`inspections` integer DEFAULT 0 NOT NULL,
	`covert` integer DEFAULT 0 NOT NULL,
	`documents` integer DEFAULT 0 NOT NULL,
	`interviews` integer DEFAULT 0 NOT NULL,
	`detentions` integer DEFAULT 0 NOT NULL,
	`fine_fen` integer DEFAULT 0 NOT NULL,
	`dispatched` integer DEFAULT 0 NOT NULL,
	`covert_found` integer DEFAULT 0 NOT NULL,
	`covert_rectified` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`grain`, `bucket`, `township`, `sector`)
);
--> statement-breakpoint
CREATE INDEX `enforcement_stats_kind` ON `enforcement_actions` (`kind`,`at`,`enterprise_id`);--> statement-breakpoint
CREATE INDEX `hazards_stats_due` ON `hazards` (`deadline`,`reported_at`,`township`,`sector`,`level`) WHERE status = 'dispatched';
CREATE TABLE `nag_digests` (
	`recipient` text NOT NULL,
	`slot` integer NOT NULL,
	`day` text NOT NULL,
	`level` integer NOT NULL,
	`hazards` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`recipient`, `slot`)
);
--> statement-breakpoint
CREATE INDEX `nag_digests_day_recipient` ON `nag_digests` (`day`,`recipient`);
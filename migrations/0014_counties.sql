CREATE TABLE `townships` (
	`name` text PRIMARY KEY NOT NULL,
	`county` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `townships_county` ON `townships` (`county`);--> statement-breakpoint
ALTER TABLE `people` ADD `county` text;
-- stats_rollup as drizzle-kit made it (migration 0017), made again WITHOUT ROWID: the primary key is then
-- the storage order, so a bucket's rows are one contiguous range and a read needs no row lookups.
DROP TABLE `stats_rollup`;
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
) WITHOUT ROWID;
--> statement-breakpoint
WITH RECURSIVE d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < 39446)
INSERT INTO stats_calendar (day, month, year)
SELECT (694224000 + k * 86400) * 1000 - 28800000,
  (CAST(strftime('%s', date(694224000 + k * 86400, 'unixepoch', 'start of month')) AS INTEGER)) * 1000 - 28800000,
  (CAST(strftime('%s', date(694224000 + k * 86400, 'unixepoch', 'start of year')) AS INTEGER)) * 1000 - 28800000
FROM d;
--> statement-breakpoint
INSERT INTO settings (key, value, updated_at) VALUES ('stats_calendar_tz', 'Asia/Shanghai', 0) ON CONFLICT (key) DO UPDATE SET value = excluded.value;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_hazard_insert` AFTER INSERT ON hazards
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, found, rectified, major_found, major_rectified, dispatched)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(NEW.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE NEW.sector END, (NEW.status IN ('reported', 'dispatched', 'rectified', 'closed') AND NEW.level IN ('general', 'major')), ((NEW.status IN ('reported', 'dispatched', 'rectified', 'closed') AND NEW.level IN ('general', 'major')) AND NEW.status IN ('rectified', 'closed')), ((NEW.status IN ('reported', 'dispatched', 'rectified', 'closed') AND NEW.level IN ('general', 'major')) AND NEW.level = 'major'), ((NEW.status IN ('reported', 'dispatched', 'rectified', 'closed') AND NEW.level IN ('general', 'major')) AND NEW.level = 'major' AND NEW.status IN ('rectified', 'closed')), ((NEW.status IN ('reported', 'dispatched', 'rectified', 'closed') AND NEW.level IN ('general', 'major')) AND NEW.status = 'dispatched')
    FROM (SELECT day, month, year FROM stats_calendar WHERE day <= NEW.reported_at AND day > NEW.reported_at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET found = found + excluded.found, rectified = rectified + excluded.rectified, major_found = major_found + excluded.major_found, major_rectified = major_rectified + excluded.major_rectified, dispatched = dispatched + excluded.dispatched;
  INSERT INTO stats_rollup (grain, bucket, township, sector, covert_found, covert_rectified)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(NEW.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE NEW.sector END, 1, (NEW.status IN ('rectified', 'closed'))
    FROM inspections i, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE i.id = NEW.inspection_id AND i.covert = 1 AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= i.at AND day > i.at - 90000000)
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET covert_found = covert_found + excluded.covert_found, covert_rectified = covert_rectified + excluded.covert_rectified;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_hazard_delete` AFTER DELETE ON hazards
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, found, rectified, major_found, major_rectified, dispatched)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(OLD.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE OLD.sector END, -(OLD.status IN ('reported', 'dispatched', 'rectified', 'closed') AND OLD.level IN ('general', 'major')), -((OLD.status IN ('reported', 'dispatched', 'rectified', 'closed') AND OLD.level IN ('general', 'major')) AND OLD.status IN ('rectified', 'closed')), -((OLD.status IN ('reported', 'dispatched', 'rectified', 'closed') AND OLD.level IN ('general', 'major')) AND OLD.level = 'major'), -((OLD.status IN ('reported', 'dispatched', 'rectified', 'closed') AND OLD.level IN ('general', 'major')) AND OLD.level = 'major' AND OLD.status IN ('rectified', 'closed')), -((OLD.status IN ('reported', 'dispatched', 'rectified', 'closed') AND OLD.level IN ('general', 'major')) AND OLD.status = 'dispatched')
    FROM (SELECT day, month, year FROM stats_calendar WHERE day <= OLD.reported_at AND day > OLD.reported_at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET found = found + excluded.found, rectified = rectified + excluded.rectified, major_found = major_found + excluded.major_found, major_rectified = major_rectified + excluded.major_rectified, dispatched = dispatched + excluded.dispatched;
  INSERT INTO stats_rollup (grain, bucket, township, sector, covert_found, covert_rectified)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(OLD.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE OLD.sector END, -1, -(OLD.status IN ('rectified', 'closed'))
    FROM inspections i, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE i.id = OLD.inspection_id AND i.covert = 1 AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= i.at AND day > i.at - 90000000)
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET covert_found = covert_found + excluded.covert_found, covert_rectified = covert_rectified + excluded.covert_rectified;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_hazard_update` AFTER UPDATE OF status, level, township, sector, reported_at, inspection_id ON hazards
WHEN OLD.township IS NOT NEW.township OR OLD.sector IS NOT NEW.sector OR OLD.reported_at IS NOT NEW.reported_at
  OR OLD.level IS NOT NEW.level OR OLD.status IS NOT NEW.status OR OLD.inspection_id IS NOT NEW.inspection_id
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, found, rectified, major_found, major_rectified, dispatched)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(OLD.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE OLD.sector END, -(OLD.status IN ('reported', 'dispatched', 'rectified', 'closed') AND OLD.level IN ('general', 'major')), -((OLD.status IN ('reported', 'dispatched', 'rectified', 'closed') AND OLD.level IN ('general', 'major')) AND OLD.status IN ('rectified', 'closed')), -((OLD.status IN ('reported', 'dispatched', 'rectified', 'closed') AND OLD.level IN ('general', 'major')) AND OLD.level = 'major'), -((OLD.status IN ('reported', 'dispatched', 'rectified', 'closed') AND OLD.level IN ('general', 'major')) AND OLD.level = 'major' AND OLD.status IN ('rectified', 'closed')), -((OLD.status IN ('reported', 'dispatched', 'rectified', 'closed') AND OLD.level IN ('general', 'major')) AND OLD.status = 'dispatched')
    FROM (SELECT day, month, year FROM stats_calendar WHERE day <= OLD.reported_at AND day > OLD.reported_at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET found = found + excluded.found, rectified = rectified + excluded.rectified, major_found = major_found + excluded.major_found, major_rectified = major_rectified + excluded.major_rectified, dispatched = dispatched + excluded.dispatched;
  INSERT INTO stats_rollup (grain, bucket, township, sector, found, rectified, major_found, major_rectified, dispatched)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(NEW.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE NEW.sector END, (NEW.status IN ('reported', 'dispatched', 'rectified', 'closed') AND NEW.level IN ('general', 'major')), ((NEW.status IN ('reported', 'dispatched', 'rectified', 'closed') AND NEW.level IN ('general', 'major')) AND NEW.status IN ('rectified', 'closed')), ((NEW.status IN ('reported', 'dispatched', 'rectified', 'closed') AND NEW.level IN ('general', 'major')) AND NEW.level = 'major'), ((NEW.status IN ('reported', 'dispatched', 'rectified', 'closed') AND NEW.level IN ('general', 'major')) AND NEW.level = 'major' AND NEW.status IN ('rectified', 'closed')), ((NEW.status IN ('reported', 'dispatched', 'rectified', 'closed') AND NEW.level IN ('general', 'major')) AND NEW.status = 'dispatched')
    FROM (SELECT day, month, year FROM stats_calendar WHERE day <= NEW.reported_at AND day > NEW.reported_at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET found = found + excluded.found, rectified = rectified + excluded.rectified, major_found = major_found + excluded.major_found, major_rectified = major_rectified + excluded.major_rectified, dispatched = dispatched + excluded.dispatched;
  INSERT INTO stats_rollup (grain, bucket, township, sector, covert_found, covert_rectified)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(OLD.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE OLD.sector END, -1, -(OLD.status IN ('rectified', 'closed'))
    FROM inspections i, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE i.id = OLD.inspection_id AND i.covert = 1 AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= i.at AND day > i.at - 90000000)
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET covert_found = covert_found + excluded.covert_found, covert_rectified = covert_rectified + excluded.covert_rectified;
  INSERT INTO stats_rollup (grain, bucket, township, sector, covert_found, covert_rectified)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(NEW.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE NEW.sector END, 1, (NEW.status IN ('rectified', 'closed'))
    FROM inspections i, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE i.id = NEW.inspection_id AND i.covert = 1 AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= i.at AND day > i.at - 90000000)
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET covert_found = covert_found + excluded.covert_found, covert_rectified = covert_rectified + excluded.covert_rectified;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_inspection_insert` AFTER INSERT ON inspections
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, inspections, covert)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(e.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE e.sector END, 1, NEW.covert
    FROM (SELECT township, sector FROM enterprises WHERE id = NEW.enterprise_id) e, (SELECT day, month, year FROM stats_calendar WHERE day <= NEW.at AND day > NEW.at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET inspections = inspections + excluded.inspections, covert = covert + excluded.covert;
  INSERT INTO stats_rollup (grain, bucket, township, sector, covert_found, covert_rectified)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(h.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE h.sector END AS s, count(*), sum(h.status IN ('rectified', 'closed'))
    FROM hazards h, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE h.inspection_id = NEW.id AND NEW.covert = 1 AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= NEW.at AND day > NEW.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET covert_found = covert_found + excluded.covert_found, covert_rectified = covert_rectified + excluded.covert_rectified;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_inspection_delete` AFTER DELETE ON inspections
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, inspections, covert)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(e.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE e.sector END, -1, -OLD.covert
    FROM (SELECT township, sector FROM enterprises WHERE id = OLD.enterprise_id) e, (SELECT day, month, year FROM stats_calendar WHERE day <= OLD.at AND day > OLD.at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET inspections = inspections + excluded.inspections, covert = covert + excluded.covert;
  INSERT INTO stats_rollup (grain, bucket, township, sector, covert_found, covert_rectified)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(h.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE h.sector END AS s, -count(*), -sum(h.status IN ('rectified', 'closed'))
    FROM hazards h, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE h.inspection_id = OLD.id AND OLD.covert = 1 AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= OLD.at AND day > OLD.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET covert_found = covert_found + excluded.covert_found, covert_rectified = covert_rectified + excluded.covert_rectified;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_inspection_update` AFTER UPDATE OF enterprise_id, at, covert ON inspections
WHEN OLD.enterprise_id IS NOT NEW.enterprise_id OR OLD.at IS NOT NEW.at OR OLD.covert IS NOT NEW.covert
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, inspections, covert)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(e.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE e.sector END, -1, -OLD.covert
    FROM (SELECT township, sector FROM enterprises WHERE id = OLD.enterprise_id) e, (SELECT day, month, year FROM stats_calendar WHERE day <= OLD.at AND day > OLD.at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET inspections = inspections + excluded.inspections, covert = covert + excluded.covert;
  INSERT INTO stats_rollup (grain, bucket, township, sector, inspections, covert)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(e.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE e.sector END, 1, NEW.covert
    FROM (SELECT township, sector FROM enterprises WHERE id = NEW.enterprise_id) e, (SELECT day, month, year FROM stats_calendar WHERE day <= NEW.at AND day > NEW.at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET inspections = inspections + excluded.inspections, covert = covert + excluded.covert;
  INSERT INTO stats_rollup (grain, bucket, township, sector, covert_found, covert_rectified)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(h.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE h.sector END AS s, -count(*), -sum(h.status IN ('rectified', 'closed'))
    FROM hazards h, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE h.inspection_id = OLD.id AND OLD.covert = 1 AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= OLD.at AND day > OLD.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET covert_found = covert_found + excluded.covert_found, covert_rectified = covert_rectified + excluded.covert_rectified;
  INSERT INTO stats_rollup (grain, bucket, township, sector, covert_found, covert_rectified)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(h.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE h.sector END AS s, count(*), sum(h.status IN ('rectified', 'closed'))
    FROM hazards h, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE h.inspection_id = NEW.id AND NEW.covert = 1 AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= NEW.at AND day > NEW.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET covert_found = covert_found + excluded.covert_found, covert_rectified = covert_rectified + excluded.covert_rectified;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_enforcement_insert` AFTER INSERT ON enforcement_actions
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, documents, interviews, detentions, fine_fen)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(e.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE e.sector END, (NEW.kind = 'document'), (CASE WHEN NEW.kind = 'interview' THEN NEW.people ELSE 0 END), (CASE WHEN NEW.kind = 'detain' THEN NEW.people ELSE 0 END), (CASE WHEN NEW.kind = 'fine' THEN NEW.amount_fen ELSE 0 END)
    FROM (SELECT township, sector FROM enterprises WHERE id = NEW.enterprise_id) e, (SELECT day, month, year FROM stats_calendar WHERE day <= NEW.at AND day > NEW.at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET documents = documents + excluded.documents, interviews = interviews + excluded.interviews, detentions = detentions + excluded.detentions, fine_fen = fine_fen + excluded.fine_fen;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_enforcement_delete` AFTER DELETE ON enforcement_actions
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, documents, interviews, detentions, fine_fen)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(e.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE e.sector END, -(OLD.kind = 'document'), -(CASE WHEN OLD.kind = 'interview' THEN OLD.people ELSE 0 END), -(CASE WHEN OLD.kind = 'detain' THEN OLD.people ELSE 0 END), -(CASE WHEN OLD.kind = 'fine' THEN OLD.amount_fen ELSE 0 END)
    FROM (SELECT township, sector FROM enterprises WHERE id = OLD.enterprise_id) e, (SELECT day, month, year FROM stats_calendar WHERE day <= OLD.at AND day > OLD.at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET documents = documents + excluded.documents, interviews = interviews + excluded.interviews, detentions = detentions + excluded.detentions, fine_fen = fine_fen + excluded.fine_fen;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_enforcement_update` AFTER UPDATE OF enterprise_id, at, kind, people, amount_fen ON enforcement_actions
WHEN OLD.enterprise_id IS NOT NEW.enterprise_id OR OLD.at IS NOT NEW.at OR OLD.kind IS NOT NEW.kind OR OLD.people IS NOT NEW.people OR OLD.amount_fen IS NOT NEW.amount_fen
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, documents, interviews, detentions, fine_fen)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(e.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE e.sector END, -(OLD.kind = 'document'), -(CASE WHEN OLD.kind = 'interview' THEN OLD.people ELSE 0 END), -(CASE WHEN OLD.kind = 'detain' THEN OLD.people ELSE 0 END), -(CASE WHEN OLD.kind = 'fine' THEN OLD.amount_fen ELSE 0 END)
    FROM (SELECT township, sector FROM enterprises WHERE id = OLD.enterprise_id) e, (SELECT day, month, year FROM stats_calendar WHERE day <= OLD.at AND day > OLD.at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET documents = documents + excluded.documents, interviews = interviews + excluded.interviews, detentions = detentions + excluded.detentions, fine_fen = fine_fen + excluded.fine_fen;
  INSERT INTO stats_rollup (grain, bucket, township, sector, documents, interviews, detentions, fine_fen)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(e.township, '') END, CASE lv.l WHEN 2 THEN '*' ELSE e.sector END, (NEW.kind = 'document'), (CASE WHEN NEW.kind = 'interview' THEN NEW.people ELSE 0 END), (CASE WHEN NEW.kind = 'detain' THEN NEW.people ELSE 0 END), (CASE WHEN NEW.kind = 'fine' THEN NEW.amount_fen ELSE 0 END)
    FROM (SELECT township, sector FROM enterprises WHERE id = NEW.enterprise_id) e, (SELECT day, month, year FROM stats_calendar WHERE day <= NEW.at AND day > NEW.at - 90000000 ORDER BY day DESC LIMIT 1) c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv WHERE true
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET documents = documents + excluded.documents, interviews = interviews + excluded.interviews, detentions = detentions + excluded.detentions, fine_fen = fine_fen + excluded.fine_fen;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_enterprise_insert` AFTER INSERT ON enterprises
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, inspections, covert)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(NEW.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE NEW.sector END AS s, sum(1), sum(i.covert)
    FROM inspections i, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE i.enterprise_id = NEW.id AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= i.at AND day > i.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET inspections = inspections + excluded.inspections, covert = covert + excluded.covert;
  INSERT INTO stats_rollup (grain, bucket, township, sector, documents, interviews, detentions, fine_fen)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(NEW.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE NEW.sector END AS s, sum((a.kind = 'document')), sum((CASE WHEN a.kind = 'interview' THEN a.people ELSE 0 END)), sum((CASE WHEN a.kind = 'detain' THEN a.people ELSE 0 END)), sum((CASE WHEN a.kind = 'fine' THEN a.amount_fen ELSE 0 END))
    FROM enforcement_actions a, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE a.enterprise_id = NEW.id AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= a.at AND day > a.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET documents = documents + excluded.documents, interviews = interviews + excluded.interviews, detentions = detentions + excluded.detentions, fine_fen = fine_fen + excluded.fine_fen;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_enterprise_delete` AFTER DELETE ON enterprises
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, inspections, covert)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(OLD.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE OLD.sector END AS s, -sum(1), -sum(i.covert)
    FROM inspections i, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE i.enterprise_id = OLD.id AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= i.at AND day > i.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET inspections = inspections + excluded.inspections, covert = covert + excluded.covert;
  INSERT INTO stats_rollup (grain, bucket, township, sector, documents, interviews, detentions, fine_fen)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(OLD.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE OLD.sector END AS s, -sum((a.kind = 'document')), -sum((CASE WHEN a.kind = 'interview' THEN a.people ELSE 0 END)), -sum((CASE WHEN a.kind = 'detain' THEN a.people ELSE 0 END)), -sum((CASE WHEN a.kind = 'fine' THEN a.amount_fen ELSE 0 END))
    FROM enforcement_actions a, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE a.enterprise_id = OLD.id AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= a.at AND day > a.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET documents = documents + excluded.documents, interviews = interviews + excluded.interviews, detentions = detentions + excluded.detentions, fine_fen = fine_fen + excluded.fine_fen;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_rollup_enterprise_update` AFTER UPDATE OF township, sector ON enterprises
WHEN OLD.township IS NOT NEW.township OR OLD.sector IS NOT NEW.sector
BEGIN
  INSERT INTO stats_rollup (grain, bucket, township, sector, inspections, covert)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(OLD.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE OLD.sector END AS s, -sum(1), -sum(i.covert)
    FROM inspections i, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE i.enterprise_id = OLD.id AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= i.at AND day > i.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET inspections = inspections + excluded.inspections, covert = covert + excluded.covert;
  INSERT INTO stats_rollup (grain, bucket, township, sector, documents, interviews, detentions, fine_fen)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(OLD.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE OLD.sector END AS s, -sum((a.kind = 'document')), -sum((CASE WHEN a.kind = 'interview' THEN a.people ELSE 0 END)), -sum((CASE WHEN a.kind = 'detain' THEN a.people ELSE 0 END)), -sum((CASE WHEN a.kind = 'fine' THEN a.amount_fen ELSE 0 END))
    FROM enforcement_actions a, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE a.enterprise_id = OLD.id AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= a.at AND day > a.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET documents = documents + excluded.documents, interviews = interviews + excluded.interviews, detentions = detentions + excluded.detentions, fine_fen = fine_fen + excluded.fine_fen;
  INSERT INTO stats_rollup (grain, bucket, township, sector, inspections, covert)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(NEW.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE NEW.sector END AS s, sum(1), sum(i.covert)
    FROM inspections i, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE i.enterprise_id = NEW.id AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= i.at AND day > i.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET inspections = inspections + excluded.inspections, covert = covert + excluded.covert;
  INSERT INTO stats_rollup (grain, bucket, township, sector, documents, interviews, detentions, fine_fen)
    SELECT g.v, CASE g.v WHEN 'd' THEN c.day WHEN 'm' THEN c.month ELSE c.year END AS b, CASE lv.l WHEN 1 THEN '*' ELSE coalesce(NEW.township, '') END AS t, CASE lv.l WHEN 2 THEN '*' ELSE NEW.sector END AS s, sum((a.kind = 'document')), sum((CASE WHEN a.kind = 'interview' THEN a.people ELSE 0 END)), sum((CASE WHEN a.kind = 'detain' THEN a.people ELSE 0 END)), sum((CASE WHEN a.kind = 'fine' THEN a.amount_fen ELSE 0 END))
    FROM enforcement_actions a, stats_calendar c, (SELECT 'd' AS v UNION ALL SELECT 'm' UNION ALL SELECT 'y') g, (SELECT 0 AS l UNION ALL SELECT 1 UNION ALL SELECT 2) lv
    WHERE a.enterprise_id = NEW.id AND c.day = (SELECT max(day) FROM stats_calendar WHERE day <= a.at AND day > a.at - 90000000)
    GROUP BY g.v, b, t, s
    ON CONFLICT (grain, bucket, township, sector) DO UPDATE SET documents = documents + excluded.documents, interviews = interviews + excluded.interviews, detentions = detentions + excluded.detentions, fine_fen = fine_fen + excluded.fine_fen;
END;
--> statement-breakpoint
DELETE FROM stats_rollup;
--> statement-breakpoint
INSERT INTO stats_rollup (grain, bucket, township, sector, found, rectified, major_found, major_rectified, inspections, covert, documents, interviews, detentions, fine_fen, dispatched, covert_found, covert_rectified) SELECT 'd', bucket, township, sector, found, rectified, major_found, major_rectified, inspections, covert, documents, interviews, detentions, fine_fen, dispatched, covert_found, covert_rectified FROM (
  WITH detail AS (
  SELECT day AS bucket, township, sector, sum(found) AS found, sum(rectified) AS rectified, sum(major_found) AS major_found,
    sum(major_rectified) AS major_rectified, sum(inspections) AS inspections, sum(covert) AS covert, sum(documents) AS documents,
    sum(interviews) AS interviews, sum(detentions) AS detentions, sum(fine_fen) AS fine_fen, sum(dispatched) AS dispatched,
    sum(covert_found) AS covert_found, sum(covert_rectified) AS covert_rectified
  FROM (
    SELECT (SELECT max(day) FROM stats_calendar WHERE day <= h.reported_at AND day > h.reported_at - 90000000) AS day, coalesce(h.township, '') AS township, h.sector AS sector,
      (h.status IN ('reported', 'dispatched', 'rectified', 'closed') AND h.level IN ('general', 'major')) AS found, ((h.status IN ('reported', 'dispatched', 'rectified', 'closed') AND h.level IN ('general', 'major')) AND h.status IN ('rectified', 'closed')) AS rectified, ((h.status IN ('reported', 'dispatched', 'rectified', 'closed') AND h.level IN ('general', 'major')) AND h.level = 'major') AS major_found,
      ((h.status IN ('reported', 'dispatched', 'rectified', 'closed') AND h.level IN ('general', 'major')) AND h.level = 'major' AND h.status IN ('rectified', 'closed')) AS major_rectified,
      0 AS inspections, 0 AS covert, 0 AS documents, 0 AS interviews, 0 AS detentions, 0 AS fine_fen,
      ((h.status IN ('reported', 'dispatched', 'rectified', 'closed') AND h.level IN ('general', 'major')) AND h.status = 'dispatched') AS dispatched, 0 AS covert_found, 0 AS covert_rectified
    FROM hazards h
    UNION ALL
    SELECT (SELECT max(day) FROM stats_calendar WHERE day <= i.at AND day > i.at - 90000000), coalesce(e.township, ''), e.sector, 0, 0, 0, 0, 1, i.covert, 0, 0, 0, 0, 0, 0, 0
    FROM inspections i JOIN enterprises e ON e.id = i.enterprise_id
    UNION ALL
    SELECT (SELECT max(day) FROM stats_calendar WHERE day <= a.at AND day > a.at - 90000000), coalesce(e.township, ''), e.sector, 0, 0, 0, 0, 0, 0, a.kind = 'document',
      CASE WHEN a.kind = 'interview' THEN a.people ELSE 0 END, CASE WHEN a.kind = 'detain' THEN a.people ELSE 0 END,
      CASE WHEN a.kind = 'fine' THEN a.amount_fen ELSE 0 END, 0, 0, 0
    FROM enforcement_actions a JOIN enterprises e ON e.id = a.enterprise_id
    UNION ALL
    SELECT (SELECT max(day) FROM stats_calendar WHERE day <= i.at AND day > i.at - 90000000), coalesce(h.township, ''), h.sector, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, h.status IN ('rectified', 'closed')
    FROM inspections i JOIN hazards h ON h.inspection_id = i.id WHERE i.covert = 1
  ) WHERE day IS NOT NULL
  GROUP BY day, township, sector)
  SELECT * FROM detail
  UNION ALL SELECT bucket, '*', sector, sum(found), sum(rectified), sum(major_found), sum(major_rectified), sum(inspections), sum(covert), sum(documents), sum(interviews), sum(detentions), sum(fine_fen), sum(dispatched), sum(covert_found), sum(covert_rectified) FROM detail GROUP BY bucket, sector
  UNION ALL SELECT bucket, township, '*', sum(found), sum(rectified), sum(major_found), sum(major_rectified), sum(inspections), sum(covert), sum(documents), sum(interviews), sum(detentions), sum(fine_fen), sum(dispatched), sum(covert_found), sum(covert_rectified) FROM detail GROUP BY bucket, township) WHERE true;
--> statement-breakpoint
INSERT INTO stats_rollup (grain, bucket, township, sector, found, rectified, major_found, major_rectified, inspections, covert, documents, interviews, detentions, fine_fen, dispatched, covert_found, covert_rectified)
    SELECT 'm', c.month, r.township, r.sector, sum(r.found), sum(r.rectified), sum(r.major_found), sum(r.major_rectified), sum(r.inspections), sum(r.covert), sum(r.documents), sum(r.interviews), sum(r.detentions), sum(r.fine_fen), sum(r.dispatched), sum(r.covert_found), sum(r.covert_rectified) FROM stats_rollup r JOIN stats_calendar c ON c.day = r.bucket
    WHERE r.grain = 'd' GROUP BY c.month, r.township, r.sector;
--> statement-breakpoint
INSERT INTO stats_rollup (grain, bucket, township, sector, found, rectified, major_found, major_rectified, inspections, covert, documents, interviews, detentions, fine_fen, dispatched, covert_found, covert_rectified)
    SELECT 'y', c.year, r.township, r.sector, sum(r.found), sum(r.rectified), sum(r.major_found), sum(r.major_rectified), sum(r.inspections), sum(r.covert), sum(r.documents), sum(r.interviews), sum(r.detentions), sum(r.fine_fen), sum(r.dispatched), sum(r.covert_found), sum(r.covert_rectified) FROM stats_rollup r JOIN stats_calendar c ON c.day = r.bucket
    WHERE r.grain = 'm' GROUP BY c.year, r.township, r.sector;

BEGIN TRANSACTION;
CREATE TABLE article (
	id INTEGER NOT NULL,
	url VARCHAR NOT NULL,
	title VARCHAR NOT NULL,
	author_id INTEGER,
	published VARCHAR NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (url),
	FOREIGN KEY(author_id) REFERENCES author (id)
);
INSERT INTO "article" VALUES(1,'https://news.test/a','An article',1,'2026-10-30');
CREATE TABLE audit (
	id INTEGER NOT NULL,
	letter_id INTEGER,
	raw_id INTEGER,
	event VARCHAR NOT NULL,
	source_state VARCHAR NOT NULL,
	target_state VARCHAR NOT NULL,
	actor VARCHAR NOT NULL,
	note TEXT NOT NULL,
	at DATETIME NOT NULL,
	PRIMARY KEY (id)
);
INSERT INTO "audit" VALUES(1,1,1,'publish','approved','published','intake','','2026-11-01 09:00:00.000000');
CREATE TABLE author (
	id INTEGER NOT NULL,
	email VARCHAR NOT NULL,
	name VARCHAR NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (email)
);
INSERT INTO "author" VALUES(1,'author@news.test','Ann Author');
CREATE TABLE campaign_key (
	"key" BIGINT NOT NULL,
	letter_id INTEGER NOT NULL,
	PRIMARY KEY ("key", letter_id),
	FOREIGN KEY(letter_id) REFERENCES letter (id)
);
INSERT INTO "campaign_key" VALUES(1099511627783,1);
CREATE TABLE command_use (
	"key" VARCHAR NOT NULL,
	raw_id INTEGER NOT NULL,
	at DATETIME NOT NULL,
	PRIMARY KEY ("key")
);
INSERT INTO "command_use" VALUES('cu1',2,'2026-11-01 09:00:00.000000');
CREATE TABLE desk_secret (
	name VARCHAR NOT NULL,
	value VARCHAR NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (name)
);
INSERT INTO "desk_secret" VALUES('command','secret','2026-11-01 09:00:00.000000');
CREATE TABLE digest (
	period VARCHAR NOT NULL,
	sent_at DATETIME NOT NULL,
	recipients VARCHAR NOT NULL,
	PRIMARY KEY (period)
);
INSERT INTO "digest" VALUES('2026-11-01T08:00','2026-11-01 09:00:00.000000','ed@news.test');
CREATE TABLE edit (
	id INTEGER NOT NULL,
	letter_id INTEGER NOT NULL,
	field VARCHAR NOT NULL,
	text TEXT NOT NULL,
	actor VARCHAR NOT NULL,
	note VARCHAR NOT NULL,
	at DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(letter_id) REFERENCES letter (id)
);
INSERT INTO "edit" VALUES(1,1,'letter','edited text','ed@news.test','n','2026-11-01 09:00:00.000000');
CREATE TABLE folder_state (
	mailbox VARCHAR NOT NULL,
	uidvalidity INTEGER NOT NULL,
	last_uid INTEGER NOT NULL,
	updated_at DATETIME NOT NULL,
	PRIMARY KEY (mailbox)
);
INSERT INTO "folder_state" VALUES('maildir:/srv/inbox',0,0,'2026-11-01 09:00:00.000000');
CREATE TABLE letter (
	id INTEGER NOT NULL,
	raw_id INTEGER NOT NULL,
	message_id VARCHAR NOT NULL,
	writer_name VARCHAR NOT NULL,
	writer_email VARCHAR NOT NULL,
	subject VARCHAR NOT NULL,
	body TEXT NOT NULL,
	article_id INTEGER,
	match_reason VARCHAR NOT NULL,
	state VARCHAR NOT NULL,
	confidence FLOAT NOT NULL,
	reasons TEXT NOT NULL,
	received_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	deadline_at DATETIME,
	candidates TEXT NOT NULL,
	findings TEXT NOT NULL,
	campaign_id INTEGER,
	signature TEXT NOT NULL,
	writer_town VARCHAR NOT NULL,
	writer_phone VARCHAR NOT NULL,
	writer_street VARCHAR NOT NULL,
	dek VARCHAR NOT NULL,
	headline VARCHAR NOT NULL,
	responder_name VARCHAR NOT NULL,
	reprint BOOLEAN NOT NULL,
	reminders_sent INTEGER NOT NULL,
	next_reminder_at DATETIME,
	fingerprint BLOB NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (raw_id),
	FOREIGN KEY(raw_id) REFERENCES raw_message (id),
	FOREIGN KEY(article_id) REFERENCES article (id)
);
INSERT INTO "letter" VALUES(1,1,'<m1@reader.test>','Reader 1','r1@reader.test','s1','Dear Editor, letter 1.',1,'link','published',0.9,'["r"]','2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000','[]','["f: x"]',NULL,'["Reader"]','Brooklyn','555 0100','1 Main St','a dek','','',0,1,'2026-11-01 09:00:00.000000',X'01020304');
INSERT INTO "letter" VALUES(2,2,'<m2@reader.test>','Reader 2','r2@reader.test','s2','Dear Editor, letter 2.',1,'link','awaiting_response',0.9,'["r"]','2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000','[]','["f: x"]',NULL,'["Reader"]','Brooklyn','555 0100','1 Main St','a dek','','',0,1,'2026-11-01 09:00:00.000000',X'01020304');
CREATE TABLE message_key (
	"key" VARCHAR NOT NULL,
	raw_id INTEGER NOT NULL,
	content VARCHAR NOT NULL,
	PRIMARY KEY ("key")
);
INSERT INTO "message_key" VALUES('<m1@reader.test>',1,'c1');
INSERT INTO "message_key" VALUES('<m2@reader.test>',2,'c2');
INSERT INTO "message_key" VALUES('<m3@reader.test>',3,'c3');
CREATE TABLE outbound (
	id INTEGER NOT NULL,
	letter_id INTEGER,
	purpose VARCHAR NOT NULL,
	sender VARCHAR NOT NULL,
	recipients VARCHAR NOT NULL,
	message_id VARCHAR NOT NULL,
	raw BLOB NOT NULL,
	status VARCHAR NOT NULL,
	attempts INTEGER NOT NULL,
	next_attempt_at DATETIME NOT NULL,
	lease_until DATETIME,
	claimed_by VARCHAR NOT NULL,
	last_error VARCHAR NOT NULL,
	created_at DATETIME NOT NULL,
	sent_at DATETIME,
	PRIMARY KEY (id),
	CONSTRAINT uq_outbound_purpose UNIQUE (letter_id, purpose),
	FOREIGN KEY(letter_id) REFERENCES letter (id),
	UNIQUE (message_id)
);
INSERT INTO "outbound" VALUES(1,1,'author_request','letters@news.test','author@news.test','<intake.req.1.x@news.test>',X'5375626A6563743A207265710D0A0D0A706C65617365','sent',1,'2026-11-01 09:00:00.000000',NULL,'','','2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000');
CREATE TABLE raw_message (
	id INTEGER NOT NULL,
	mailbox VARCHAR NOT NULL,
	uidvalidity INTEGER NOT NULL,
	uid INTEGER,
	source_key VARCHAR NOT NULL,
	message_id VARCHAR NOT NULL,
	sha256 VARCHAR NOT NULL,
	size INTEGER NOT NULL,
	raw BLOB NOT NULL,
	internal_date DATETIME,
	fetched_at DATETIME NOT NULL,
	status VARCHAR NOT NULL,
	category VARCHAR NOT NULL,
	confidence FLOAT NOT NULL,
	reasons TEXT NOT NULL,
	note TEXT NOT NULL,
	letter_id INTEGER,
	processed_at DATETIME,
	marked BOOLEAN NOT NULL,
	attempts INTEGER NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_raw_source UNIQUE (mailbox, source_key)
);
INSERT INTO "raw_message" VALUES(1,'maildir:/srv/inbox',0,NULL,'k1','<m1@reader.test>','0000000000000000000000000000000000000000000000000000000000000001',41,X'46726F6D3A207231407265616465722E746573740D0A5375626A6563743A2073310D0A0D0A626F647920310D0A','2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000','processed','letter',0.9,'["a reason"]','',1,'2026-11-01 09:00:00.000000',1,1);
INSERT INTO "raw_message" VALUES(2,'maildir:/srv/inbox',0,NULL,'k2','<m2@reader.test>','0000000000000000000000000000000000000000000000000000000000000002',42,X'46726F6D3A207232407265616465722E746573740D0A5375626A6563743A2073320D0A0D0A626F647920320D0A','2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000','processed','letter',0.9,'["a reason"]','',2,'2026-11-01 09:00:00.000000',1,1);
INSERT INTO "raw_message" VALUES(3,'maildir:/srv/inbox',0,NULL,'k3','<m3@reader.test>','0000000000000000000000000000000000000000000000000000000000000003',43,X'46726F6D3A207233407265616465722E746573740D0A5375626A6563743A2073330D0A0D0A626F647920330D0A','2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000','processed','human_reply',0.9,'["a reason"]','',1,'2026-11-01 09:00:00.000000',1,1);
CREATE TABLE reply_key (
	"key" VARCHAR NOT NULL,
	letter_id INTEGER NOT NULL,
	address VARCHAR NOT NULL,
	purpose VARCHAR NOT NULL,
	created_at DATETIME NOT NULL,
	expires_at DATETIME NOT NULL,
	PRIMARY KEY ("key"),
	FOREIGN KEY(letter_id) REFERENCES letter (id)
);
INSERT INTO "reply_key" VALUES('kkkkkkkkkkkkkkkkkkkkkkkkkk',1,'author@news.test','author_request','2026-11-01 09:00:00.000000','2026-11-01 09:00:00.000000');
CREATE TABLE response (
	id INTEGER NOT NULL,
	letter_id INTEGER NOT NULL,
	raw_id INTEGER NOT NULL,
	author_email VARCHAR NOT NULL,
	text TEXT NOT NULL,
	cut TEXT NOT NULL,
	received_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(letter_id) REFERENCES letter (id),
	UNIQUE (raw_id),
	FOREIGN KEY(raw_id) REFERENCES raw_message (id)
);
INSERT INTO "response" VALUES(1,1,3,'author@news.test','A response.','> quote','2026-11-01 09:00:00.000000');
CREATE INDEX ix_raw_message_sha256 ON raw_message (sha256);
CREATE INDEX ix_raw_message_message_id ON raw_message (message_id);
CREATE INDEX ix_raw_status ON raw_message (status);
CREATE INDEX ix_audit_letter_id ON audit (letter_id);
CREATE INDEX ix_letter_campaign_id ON letter (campaign_id);
CREATE INDEX ix_letter_state ON letter (state);
CREATE INDEX ix_edit_letter_id ON edit (letter_id);
CREATE INDEX ix_outbound_due ON outbound (status, next_attempt_at);
CREATE INDEX ix_reply_key_letter_id ON reply_key (letter_id);
CREATE INDEX ix_response_letter_id ON response (letter_id);
COMMIT;

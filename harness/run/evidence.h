/*
 * evidence.h - a case's capture files and verdict file.
 */
#ifndef evidence_h
#define evidence_h

#include "runner-int.h"

/* DIR/NAMEEXT, malloc'd; NULL on ENOMEM. */
char *path_join(const char *dir, const char *name, const char *ext);

/* Name each capture point's files ("<case>[-v6][.server].pcap"). 0 ok, -1 ENOMEM. */
int evidence_plan(struct case_run *run, const char *suffix);

/* Create (if needed) and open the captures directory, never through a link. */
int evidence_dir_open(struct case_run *run);

/* Open a new private file for a capture (O_EXCL, O_NOFOLLOW, relative to dir_fd). */
int evidence_open(int dir_fd, const char *path);

/* Read every packet the captures hold now.  0 ok, -1 with the run's error set. */
int evidence_pump(struct case_run *run);

/* Let sockets settle, send the sentinel and read until every capture has it. */
int evidence_complete(struct case_run *run);

/* Stop the captures and read their statistics (drops make the case an ERROR). */
void evidence_finish(struct case_run *run);

/* Rename every capture file to its final name. */
void evidence_publish_all(struct case_run *run, int dir_fd);

/* Write text to the verdict file, privately, then publish it.  0 ok; -1
 * with err ("PATH: REASON"). */
int evidence_write_text(struct case_run *run, int dir_fd, const char *text, char *err,
    size_t size);

/* The end whose capture the verdict's wire half comes from. */
int evidence_primary_end(const struct case_run *run);

#endif /* evidence_h */

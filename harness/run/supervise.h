/*
 * supervise.h - the role processes of one case's run.
 */
#ifndef supervise_h
#define supervise_h

#include "runner-int.h"

/* Fork the client and server roles.  0 ok; -1 with the run's error set. */
int roles_start(struct case_run *run);

/* Pump packets and collect roles until all have ended, the deadline
 * passes or a stop signal comes.  0 ok; -1 when the case erred. */
int roles_supervise(struct case_run *run);

/* Abort the event board and kill every role process still running. */
void roles_kill(struct case_run *run);

#endif /* supervise_h */

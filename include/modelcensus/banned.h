/*
 * banned.h: functions that invite buffer overflows or hidden global state,
 * turned into compile errors (after git's banned.h).  Use strbuf, snprintf
 * and explicit lengths instead.
 */
#ifndef MODELCENSUS_BANNED_H
#define MODELCENSUS_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)

#endif

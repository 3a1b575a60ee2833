/* main.c -- placeholder for the httpd front end. */
#include <stdio.h>
int main(void) { fputs("httpd: not written yet\n", stderr); return 1; }

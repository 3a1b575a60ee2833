/*
 * asan_options.c -- AddressSanitizer defaults for the Check test programs.
 *
 * The test programs link every MPM's object file, so that one program can
 * test each MPM's directive table and check step directly, and some of them
 * also read configurations that `LoadModule mod_mpm_NAME.so`, exactly as
 * httpd does in an --enable-mpms-shared build.  The MPM descriptor is then
 * defined twice in one process: in the executable and in the shared object.
 * That is intended (the executable's copy, exported with -rdynamic, is the
 * one both see), but ASan's one-definition-rule check aborts on it.  httpd
 * itself never links an MPM object it also loads, so only the tests turn the
 * check off.  ASAN_OPTIONS in the environment still overrides this.
 */
const char *__asan_default_options(void) __attribute__((used));

const char *__asan_default_options(void)
{
    return "detect_odr_violation=0";
}

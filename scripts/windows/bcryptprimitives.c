/* A stand-in for Windows' bcryptprimitives.dll, used only by scripts/test-windows under Wine.
 * Rust's standard library takes its random bytes from ProcessPrng in that DLL (Windows 10 and
 * later); Wine 8 has no such DLL, so without this one ecsdeck.exe cannot start there. The
 * bytes come from RtlGenRandom (advapi32's SystemFunction036), which Wine does provide. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}

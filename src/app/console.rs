//! Windows: the binary is a GUI program (no console window opens beside the app), so a
//! command run from a terminal attaches to that terminal's console to print there. Output
//! already redirected (a pipe, a file) is left where it goes. Elsewhere this does nothing.

/// Joins the console of the process that started this one, if it has one, for every standard
/// handle that is not already redirected.
#[cfg(windows)]
pub fn attach_parent() {
    use windows_sys::Win32::Foundation::{GENERIC_READ, GENERIC_WRITE, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::Storage::FileSystem::{
        CreateFileW, FILE_SHARE_READ, FILE_SHARE_WRITE, OPEN_EXISTING,
    };
    use windows_sys::Win32::System::Console::{
        ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_HANDLE,
        STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, SetStdHandle,
    };
    let unset = |id: STD_HANDLE| {
        // SAFETY: GetStdHandle only reads the process's handle table.
        let handle = unsafe { GetStdHandle(id) };
        handle.is_null() || handle == INVALID_HANDLE_VALUE
    };
    let ids = [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE];
    if !ids.iter().any(|&id| unset(id)) {
        return;
    }
    // SAFETY: plain Win32 call; it fails harmlessly when the parent has no console.
    if unsafe { AttachConsole(ATTACH_PARENT_PROCESS) } == 0 {
        return;
    }
    for id in ids {
        if !unset(id) {
            continue;
        }
        let name: Vec<u16> = if id == STD_INPUT_HANDLE {
            "CONIN$"
        } else {
            "CONOUT$"
        }
        .encode_utf16()
        .chain(Some(0))
        .collect();
        // SAFETY: `name` is NUL-terminated; the handle is kept for the process's lifetime.
        let handle = unsafe {
            CreateFileW(
                name.as_ptr(),
                GENERIC_READ | GENERIC_WRITE,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                std::ptr::null(),
                OPEN_EXISTING,
                0,
                std::ptr::null_mut(),
            )
        };
        if handle != INVALID_HANDLE_VALUE {
            // SAFETY: a valid console handle becomes the standard handle Rust's std reads.
            unsafe { SetStdHandle(id, handle) };
        }
    }
}

/// Joins the parent's console (Windows only; nothing to do elsewhere).
#[cfg(not(windows))]
pub fn attach_parent() {}

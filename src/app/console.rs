//! Windows: the binary is a GUI program (no console window opens beside the app), so a
//! command run from a terminal attaches to that terminal's console to print there. Output
//! already redirected (a pipe, a file) is left where it goes. A command the app starts in a
//! window of its own (`ecsdeck exec` in a terminal window) is started with [`NEW_CONSOLE`]
//! set and opens a console when it has no parent's to join. Elsewhere this does nothing.

pub use crate::model::exec::window::NEW_CONSOLE;

/// Joins the console of the process that started this one, if it has one, for every standard
/// handle that is not already redirected; or, started with [`NEW_CONSOLE`], opens a console
/// of its own for all three.
#[cfg(windows)]
pub fn attach_parent() {
    use windows_sys::Win32::Foundation::INVALID_HANDLE_VALUE;
    use windows_sys::Win32::System::Console::{
        ATTACH_PARENT_PROCESS, AllocConsole, AttachConsole, FreeConsole, GetStdHandle,
        STD_ERROR_HANDLE, STD_HANDLE, STD_INPUT_HANDLE, STD_OUTPUT_HANDLE,
    };
    let ids = [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE];
    if std::env::var_os(NEW_CONSOLE).is_some() {
        // SAFETY: plain Win32 calls; FreeConsole fails harmlessly when there is none.
        let opened = unsafe {
            FreeConsole();
            AllocConsole()
        } != 0;
        if opened {
            ids.into_iter().for_each(use_console);
        }
        return;
    }
    let unset = |id: STD_HANDLE| {
        // SAFETY: GetStdHandle only reads the process's handle table.
        let handle = unsafe { GetStdHandle(id) };
        handle.is_null() || handle == INVALID_HANDLE_VALUE
    };
    if !ids.iter().any(|&id| unset(id)) {
        return;
    }
    // SAFETY: plain Win32 call; it fails harmlessly when the parent has no console.
    if unsafe { AttachConsole(ATTACH_PARENT_PROCESS) } == 0 {
        return;
    }
    ids.into_iter()
        .filter(|&id| unset(id))
        .for_each(use_console);
}

/// Points one standard handle at this process's console.
#[cfg(windows)]
fn use_console(id: windows_sys::Win32::System::Console::STD_HANDLE) {
    use windows_sys::Win32::Foundation::{GENERIC_READ, GENERIC_WRITE, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::Storage::FileSystem::{
        CreateFileW, FILE_SHARE_READ, FILE_SHARE_WRITE, OPEN_EXISTING,
    };
    use windows_sys::Win32::System::Console::{STD_INPUT_HANDLE, SetStdHandle};
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

/// Joins the parent's console (Windows only; nothing to do elsewhere).
#[cfg(not(windows))]
pub fn attach_parent() {}

//! The scheduling class of the engine's own threads (the tokio runtime's and the Python
//! workers').
//!
//! Why (measured, bench/apps/flask_app.py `GET /page`, server pinned to one core): while a
//! Python worker renders a long view, every packet that arrives and every reply that is ready
//! wakes the I/O thread, and Linux lets a woken thread preempt the running one. That cost about
//! four context switches per request (two of them preemptions in the middle of the render) and
//! ~60 µs of CPU per request, for nothing: the I/O thread only queues the request, which then
//! waits for the GIL anyway, or writes a reply that can as well wait for the next tick.
//! `SCHED_BATCH` threads do not preempt on wake-up (the tick does); they otherwise get the same
//! fair share as any thread. On an idle core a woken thread still runs at once, so this only
//! changes who runs first when the core is busy.

/// Put the calling thread in `SCHED_BATCH` (no-op where there is none). Best effort: a
/// failure leaves the thread as it was.
pub fn batch_current_thread() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: `param` is a valid `sched_param`; pid 0 is the calling thread.
        let _ = unsafe { libc::sched_setscheduler(0, libc::SCHED_BATCH, &param) };
    }
}

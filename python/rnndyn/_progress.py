"""The callable behind every ``progress=`` keyword: None (no reports; Ctrl-C still stops the run),
True (a tqdm bar of the share done), or the caller's callable taking an rnndyn.Progress (return
False to stop). The library calls it from the thread that started the run, holding the GIL."""
from ._validate import describe

__all__ = ["progress_callable"]


def progress_callable(progress):
    if progress is not None and progress is not True and not callable(progress):
        raise ValueError(f"progress: expected True, None or a callable taking an rnndyn.Progress, got "
                         f"{describe(progress)}")
    return _progress(progress)


def _progress(progress):
    """The callable behind ``progress=``: None (Ctrl-C still stops the run), True (a tqdm bar of
    the share done), or a callable taking an rnndyn.Progress (return False to stop)."""
    if progress is not True:
        return progress
    from tqdm.auto import tqdm

    bar = tqdm(total=100, unit="%", leave=False)

    def report(p):
        if p.fraction >= 0:
            bar.n = round(100 * p.fraction, 1)
        bar.set_description(p.stage, refresh=False)
        bar.set_postfix(done=p.done, found=p.found, refresh=False)
        bar.refresh()

    return report

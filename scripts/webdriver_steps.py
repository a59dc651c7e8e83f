"""Steps in headless Chromium that hold on a busy machine.

When a click replaces the page, Selenium's `staleness_of` asks the old page's element whether it is enabled
and counts only a stale-element error as "gone". Chromium's driver may answer instead "Node with given id does
not belong to the document", which means the same thing; the wait then failed the check. CI met it on its
2-core machine; here, with four busy loops beside the desk's browser check, 4 runs in 20 failed so, and none in
25 with `gone` below. `click_and_wait` clicks what a locator finds and waits, with `gone`, for the next page.
`settled(action)` runs a find-and-act step again after a short pause when it fails with that same error (the
driver resolving an element against the page just left; the error comes before the browser acts, so nothing
is clicked or typed twice). It says so when it happens; in those 25 runs it never did.
Used by Tests/KepuDeskTests/browser_desk.py and scripts/check-search.py.
"""
import time

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

LEFT_PAGE = "does not belong to the document"


def left_page(error):
    """True when the error says the element was looked up on the page being left, not that the step is wrong."""
    return isinstance(error, StaleElementReferenceException) or LEFT_PAGE in str(error)


def gone(element):
    """True once `element`'s page has been replaced. Selenium's staleness_of expects a stale-element error only;
    chromedriver may answer with the left-page error instead, which means the same here."""
    try:
        element.is_enabled()
        return False
    except WebDriverException as e:
        if left_page(e):
            return True
        raise


def settled(action, seconds=10):
    """Runs `action()`; while it fails because the driver still sees the old page, waits a little and runs it again."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return action()
        except WebDriverException as e:
            if not left_page(e) or time.monotonic() > deadline:
                raise
            # Said aloud, so that a run shows how often the driver lags (and a real fault is not hidden).
            print(f"      the driver still saw the page just left ({type(e).__name__}); the step runs again")
            time.sleep(0.2)


def type_into(driver, name, text, clear=True):
    """Puts `text` into the field called `name` (emptied first, so a retried step does not type it twice)."""
    def step():
        field = driver.find_element(By.NAME, name)
        if clear:
            field.clear()
        field.send_keys(text)
    settled(step)


def click_and_wait(driver, by, value, seconds=60):
    """Clicks the element `(by, value)` finds and waits until the next page has replaced this one and loaded."""
    clicked_on = []

    def step():
        # Should a failed attempt have clicked after all, the page it clicked on is gone: do not click again.
        if clicked_on and gone(clicked_on[-1]):
            return clicked_on[-1]
        clicked_on.append(driver.find_element(By.TAG_NAME, "html"))
        driver.find_element(by, value).click()
        return clicked_on[-1]
    old = settled(step)
    WebDriverWait(driver, seconds).until(lambda _: gone(old))
    WebDriverWait(driver, seconds).until(lambda d: d.execute_script("return document.readyState") == "complete")

"""Browser building blocks that need no browser."""

from kom_assistant.errors import IngestError, KomError
from kom_assistant.web.widgets import user_message


def test_user_messages_leave_the_librarys_own_words_out() -> None:
    def raised(message: str, english: str, cause: Exception) -> KomError:
        try:
            raise IngestError(message, english) from cause
        except IngestError as e:
            return e

    error = raised("rapport.pdf er skadet og kan ikke leses som PDF (PdfReadError på side 2: "
                   "Stream has ended unexpectedly). Last ned PDF-en på nytt.",
                   "rapport.pdf is damaged (Stream has ended unexpectedly). Download it again.",
                   ValueError("Stream has ended unexpectedly"))
    assert user_message(error, "nb") == ("rapport.pdf er skadet og kan ikke leses som PDF. "
                                         "Last ned PDF-en på nytt.")
    assert user_message(error, "en") == "rapport.pdf is damaged. Download it again."
    silent = raised("x.pdf er skadet (AssertionError: ). Last ned.", "", AssertionError())
    assert user_message(silent, "nb") == "x.pdf er skadet. Last ned."
    # Brackets of the message's own stay; so does everything without a cause.
    plain = KomError("Fant ingen indeks i index/ (kjør `kom-assistant index`).")
    assert user_message(plain, "nb") == plain.message("nb")

from kom_assistant.web.privacy import find_personal_data, remove_personal_data


def test_personal_data_is_found_and_removed():
    text = "Hun heter Kari Nordmann, fnr 01019012345, tlf 912 34 567, kari@example.no"
    kinds = {kind for kind, _ in find_personal_data(text)}
    assert {"fødselsnummer", "telefon", "e-post"} <= kinds
    cleaned = remove_personal_data(text)
    assert "01019012345" not in cleaned and "kari@example.no" not in cleaned


def test_public_numbers_and_years_are_not_personal_data():
    assert find_personal_data("Ring ROSA på 22 33 11 60 eller 112. I 2023 ble 27 anmeldt.") == []
    assert find_personal_data("HTSOs rådgivningstelefon er 994 70 279.") == []

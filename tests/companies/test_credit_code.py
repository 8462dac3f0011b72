from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from companies.validators import credit_code_check_char, validate_credit_code

# Published examples of real codes (check characters computed by GB 32100-2015).
VALID = ["91350100M000100Y43", "91110000802100433B"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    validate_credit_code(code)


def test_lowercase_and_spaces_are_normalised():
    validate_credit_code("  91350100m000100y43 ")


def test_wrong_check_character_is_refused_and_names_the_right_one():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y44")
    assert exc.value.code == "check"
    assert "3" in exc.value.messages[0]


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y431", ""])
def test_wrong_length_is_refused(code):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "length"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_never_used_in_codes_are_refused(letter):
    code = "91350100M00010" + letter + "Y43"
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "alphabet"
    assert letter in exc.value.messages[0]


def test_check_character_of_31_wraps_to_zero():
    # Search a body whose weighted sum is divisible by 31: its check character is "0".
    for n in range(1000):
        body = f"91220200{n:09d}"
        if credit_code_check_char(body) == "0":
            validate_credit_code(body + "0")
            return
    pytest.fail("no body with check character 0 in the range searched")

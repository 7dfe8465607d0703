"""Edit forms must show the stored date: browsers' date inputs accept only ISO dates."""

from datetime import date

from django import forms


def test_a_date_input_renders_its_value_in_iso_form():
    class Form(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    assert 'value="2026-04-30"' in str(Form(initial={"day": date(2026, 4, 30)})["day"])
    assert Form({"day": "2026-04-30"}).is_valid()
    assert Form({"day": "2026/04/30"}).is_valid()  # typed by hand in older browsers

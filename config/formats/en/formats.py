"""English pages keep the Indonesian way of writing numbers (1.714.661.978 and 52,3): the
programme's figures read the same in both languages, and money stays Rupiah. Dates take
English month names. The impact report can be asked for English number formatting
(1,714,661,978) as a report option: klaster/format.py."""

from django.conf.locale.id import formats as _id

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday, as in Indonesia
# what a person types is read the same in both languages
DATE_INPUT_FORMATS = _id.DATE_INPUT_FORMATS
TIME_INPUT_FORMATS = _id.TIME_INPUT_FORMATS
DATETIME_INPUT_FORMATS = _id.DATETIME_INPUT_FORMATS
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

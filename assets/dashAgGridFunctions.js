// Functions the grids name in their options ({"function": "csvSafe(params.value)"}); dash-ag-grid looks them up here.
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

// Text a spreadsheet would run as a formula gets a leading apostrophe in CSV exports (as components/filters.py
// csv_safe does on the server): an agenda item titled "=HYPERLINK(...)" must not run in an official's Excel.
dagfuncs.csvSafe = function (value) {
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value)) {
    return "'" + value;
  }
  return value;
};

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

// Enter on a compound's name (components/filters.py: compound_grid's cellKeyDown listener) reports the same
// cellClicked a click reports, so pages/_grid.py opens the compound's view by one path for mouse and keyboard.
dagfuncs.compoundOpenOnEnter = function (params, setGridProps) {
  if (!params.event || params.event.key !== "Enter" || !params.node || !params.column) return;
  if (params.column.getColId() !== "compound") return;
  setGridProps({
    cellClicked: {
      value: params.value,
      colId: "compound",
      rowIndex: params.rowIndex,
      rowId: params.node.id,
      timestamp: Date.now(),
    },
  });
};

// Cell renderers the grids name in their column definitions ({"cellRenderer": "CompoundLink"}).
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

// A compound's name as a real link to its view, so a screen reader says "link" and a middle or Ctrl-click opens a
// new tab. A plain click is left to the grid's cellClicked (the page's callback navigates within the app), and the
// link stays out of the Tab order: the grid moves between cells with the arrow keys and Tab leaves it.
dagcomponentfuncs.CompoundLink = function (props) {
  var id = props.data && props.data.compound_id;
  if (id === undefined || id === null) return props.value === undefined ? null : String(props.value);
  return React.createElement(
    "a",
    {
      href: "/compound?id=" + encodeURIComponent(String(id)),
      tabIndex: -1,
      onClick: function (event) {
        if (event.button === 0 && !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)) {
          event.preventDefault();
        }
      },
    },
    props.value
  );
};

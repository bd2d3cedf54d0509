/* The council pages' client code.
   - The meeting form (pages/council_edit.py): after a refused save, every field with a message is marked invalid
     (aria-invalid) and described by its message (aria-describedby), and the first one takes the focus, so a keyboard
     or screen-reader user lands on what to fix instead of staying on 保存; after a saved one, the meeting opens at
     its top, not as far down as the form was.
   - The lists' tabs on /councils (components/councils_lists.py: council_tabs): the ARIA tabs pattern, switched by
     a click, Enter or Space (the buttons' own), the arrow keys, Home and End.
   - The lists' link cells: Enter opens what a click opens. */
(function () {
    "use strict";

    // Dash writes a pattern-matching id into the page as JSON with its keys sorted (dash-renderer's stringifyId).
    function domId(key) {
        return "{" + Object.keys(key).sort().map(function (k) {
            return JSON.stringify(k) + ":" + JSON.stringify(key[k]);
        }).join(",") + "}";
    }

    var PARTIES = ["party_org", "property_company", "owners_committee", "residents"];
    var KINDS = ["for", "against", "abstain"];

    // The fields a feedback slot speaks for: most slots belong to the field of the same name; a few to a set of them.
    function fieldsOf(slot) {
        var names = [slot.field];
        if (slot.field === "votes") {
            names = KINDS.map(function (k) { return "votes_" + k; });
        } else if (slot.field === "party_votes") {
            names = [];
            PARTIES.forEach(function (p) { KINDS.forEach(function (k) { names.push("pv_" + k + "_" + p); }); });
        } else if (slot.field === "attendees") {
            names = PARTIES.map(function (p) { return "att_" + p; });
        }
        var found = [];
        names.forEach(function (name) {
            var el = document.getElementById(domId({type: "cf", field: name, item: slot.item, fu: slot.fu}));
            if (el) {
                found.push(el);
            }
        });
        if (!found.length) {  // no field of its own: the button that adds what is missing
            var add = slot.field === "follow_ups"
                ? document.getElementById(domId({type: "cf-add-fu", item: slot.item}))
                : slot.field === "items" ? document.getElementById("cf-add-item") : null;
            if (add) {
                found.push(add);
            }
        }
        return found;
    }

    // The element that carries aria-invalid (a radio set: its radiogroup) and the one that takes the focus.
    function marked(el) {
        return el.closest("[role=radiogroup]") || el;
    }
    function focusable(el) {
        if (el.matches("input, select, textarea, button")) {
            return el;
        }
        return el.querySelector("input:checked, input, select, textarea, button") || el;
    }

    function describe(el, slotId, on) {
        var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (s) {
            return s && s !== slotId;
        });
        if (on) {
            ids.push(slotId);
        }
        if (ids.length) {
            el.setAttribute("aria-describedby", ids.join(" "));
        } else {
            el.removeAttribute("aria-describedby");
        }
    }

    function markErrors() {
        var form = document.querySelector(".council-form");
        if (!form) {
            return;
        }
        var first = null;
        form.querySelectorAll(".invalid-feedback[id]").forEach(function (fb) {
            var slot;
            try {
                slot = JSON.parse(fb.id);
            } catch (e) {
                return;
            }
            var wrong = fb.textContent.trim() !== "";
            fieldsOf(slot).forEach(function (el) {
                var target = marked(el);
                if (wrong) {
                    target.setAttribute("aria-invalid", "true");
                } else {
                    target.removeAttribute("aria-invalid");
                }
                describe(target, fb.id, wrong);
                if (wrong && !first && target.offsetParent !== null) {
                    first = el;
                }
            });
            if (wrong && !first) {  // a message for a hidden field (a removed block): the message itself
                first = fb.parentElement;
            }
        });
        if (first) {
            first.scrollIntoView({block: "center"});
            focusable(first).focus({preventScroll: true});
        }
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        councilForm: {
            showFirstError: function (status) {
                // Run once the save's messages are in the page (they arrive with the status, in the same response).
                window.setTimeout(markErrors, 0);
                return window.dash_clientside.no_update;
            },
            openAtTop: function (href) {
                if (href) {
                    window.scrollTo(0, 0);
                }
                return window.dash_clientside.no_update;
            }
        }
    });

    // ------------------------------------------------------------------ /councils tabs

    function activate(tab, focus) {
        var list = tab.closest("[role=tablist]");
        list.querySelectorAll("[role=tab]").forEach(function (other) {
            var on = other === tab;
            other.setAttribute("aria-selected", on ? "true" : "false");
            other.tabIndex = on ? 0 : -1;
            other.classList.toggle("active", on);
            var panel = document.getElementById(other.getAttribute("aria-controls"));
            if (panel) {
                panel.hidden = !on;
            }
        });
        if (focus) {
            tab.focus();
        }
    }

    document.addEventListener("click", function (event) {
        var tab = event.target.closest && event.target.closest(".council-tabs [role=tab]");
        if (tab) {
            activate(tab, false);
        }
    });

    document.addEventListener("keydown", function (event) {
        var tab = event.target.closest && event.target.closest(".council-tabs [role=tab]");
        if (!tab) {
            return;
        }
        var tabs = Array.prototype.slice.call(tab.closest("[role=tablist]").querySelectorAll("[role=tab]"));
        var at = tabs.indexOf(tab);
        var to = {ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1}[event.key];
        if (to === undefined) {
            return;
        }
        event.preventDefault();
        var next = tabs[(to + tabs.length) % tabs.length];
        // A click, as the mouse's: the button counts it (n_clicks), which loads its list the first time.
        next.click();
        next.focus();
    });

    // ------------------------------------------------------------------ the lists' link cells

    var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

    // A cellKeyDown listener (components/councils_lists.py: _grid): Enter on a link cell reports the same cellClicked
    // a click reports, so pages/councils.py opens the meeting or compound by one path for mouse and keyboard.
    dagfuncs.councilsOpenOnEnter = function (params, setGridProps) {
        var cellClass = params.colDef && params.colDef.cellClass;
        if (!params.event || params.event.key !== "Enter" || cellClass !== "compound-link" || !params.node) {
            return;
        }
        setGridProps({
            cellClicked: {
                value: params.value,
                colId: params.column.getColId(),
                rowIndex: params.rowIndex,
                rowId: params.node.id,
                timestamp: Date.now()
            }
        });
    };
})();

/* The compound view's way back (pages/compound.py): the navbar keeps, for the tab, the last page that was not a
   compound's view; the view's back link leads there, or to its district's overview when the view was opened afresh. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    compound: {
        rememberList: function (pathname, search, current) {
            var noUpdate = window.dash_clientside.no_update;
            if (!pathname || pathname === "/compound") {
                return noUpdate;
            }
            var href = pathname + (search || "");
            if (current && current.href === href) {
                return noUpdate;
            }
            return {href: href};
        },
        toggleMenu: function (clicks, open) {
            return clicks ? !open : open;
        },
        backHref: function (last, home) {
            if (last && typeof last.href === "string" && last.href.charAt(0) === "/" && last.href.charAt(1) !== "/") {
                return last.href;
            }
            return home || "/";
        }
    }
});

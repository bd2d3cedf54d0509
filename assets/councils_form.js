/* The meeting form (pages/council_edit.py): after a refused save, show the first message by its field (the summary
   stays in the sticky action bar); after a saved one, the meeting opens at its top, not as far down as the form was. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    councilForm: {
        showFirstError: function (status) {
            var first = document.querySelector(".council-form .invalid-feedback:not(:empty)");
            if (status && first) {
                first.parentElement.scrollIntoView({block: "center", behavior: "smooth"});
            }
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

# Wörter, die das ganze Fenster teilt: die Seitenleiste, die Statusleiste, Anzahlen, Zeiten.

nav-orders = Bestellungen
nav-inventory = Inventar
nav-catalog = Katalog
nav-settings = Einstellungen

lots-count = { $count ->
    [one] { $count } Posten
   *[other] { $count } Posten
}

# Relative Zeiten: die Statusleiste, das Alter der Katalogdaten.
time-just-now = gerade eben
time-min-ago = vor { $n } Min.
time-h-ago = vor { $n } Std.
time-in-seconds = gleich
time-in-min = in { $n } Min.
time-in-h = in { $n } Std.
time-today = heute { $time }
time-yesterday = gestern { $time }
time-tomorrow = morgen { $time }
time-overdue = jetzt fällig

orders-count = { $count ->
    [one] { $count } Bestellung
   *[other] { $count } Bestellungen
}
# „12 von 100.000 Posten“: $all ist eine ganze Anzahl-Nachricht.
count-of = { $matching } von { $all }
attempts = { $count ->
    [one] { $count } Versuch
   *[other] { $count } Versuche
}
unknown = —
retry-next-try = nächster Versuch { $time }
retry-gave-up = aufgegeben
time-days-ago = { $n ->
    [one] vor { $n } Tag
   *[other] vor { $n } Tagen
}

# Die Statusleiste.
status-demo = Demo
status-demo-title = Simulierte Shops auf diesem Computer; hinterlegen Sie Zugangsdaten in den Einstellungen, um Ihre eigenen zu nutzen
status-polls = zuletzt { $last } · nächster { $next }
status-failed = { $count } fehlgeschlagen
status-failed-title = Benachrichtigungen, bei denen BrickDesk aufgegeben hat: ihre Fehler und „Erneut versuchen“ stehen unter Benachrichtigungen unterhalb der Bestellungstabelle
status-sync = Inventar-Abgleich
status-up-to-date = aktuell
status-pending-title = Posten, die auf die Übertragung warten: BrickDesk sendet sie innerhalb von Sekunden
status-lots-pending = { $count ->
    [one] { $count } Posten ausstehend
   *[other] { $count } Posten ausstehend
}
status-lots-failed-title = Posten, die ein Shop nicht angenommen hat: Fehler und „Erneut versuchen“ im Inventar
status-lots-failed = { $count ->
    [one] { $count } Posten fehlgeschlagen
   *[other] { $count } Posten fehlgeschlagen
}
status-poll = Jetzt abrufen
status-poll-title = Jetzt bei allen Shops nach Neuigkeiten fragen (Strg+R)

# Einstellungen → Anzeige.
display-title = Anzeige
display-language = Sprache
display-follow-os-language = Wie das System ({ $language })
display-theme = Design
display-theme-os = Wie das System
display-theme-light = Hell
display-theme-dark = Dunkel
# „A, B und C“: $items sind alle Namen außer dem letzten, durch Kommas getrennt.
and-list = { $items } und { $last }

# Teile, wo immer sie erscheinen.
part-colour-unknown = unbekannt
part-no-swatch = Der Katalog hat noch keine Farbe dafür
part-type-part = Teil
part-type-set = Set
part-type-minifig = Minifigur
part-type-book = Buch
part-type-gear = Gear
part-type-catalog = Katalog
part-type-instruction = Bauanleitung
part-type-original-box = Originalverpackung
part-type-unsorted-lot = Unsortierter Posten

"""Labels for figures and tables in English, Kazakh and Russian.

A label is looked up by a key; a missing key or language is an error that names the valid ones,
so a figure never silently falls back to another language. Factor names come from the article's
data (``helpers.article``); this module holds the words of axes, legends and titles.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "kazakhstan": {"en": "Kazakhstan", "kk": "Қазақстан", "ru": "Казахстан"},
    "region": {"en": "Region", "kk": "Өңір", "ru": "Регион"},
    "year": {"en": "Year", "kk": "Жыл", "ru": "Год"},
    "value": {"en": "Value", "kk": "Мәні", "ru": "Значение"},
    "official": {"en": "official (BNS)", "kk": "ресми (ҰСБ)", "ru": "официальные (БНС)"},
    "quoted": {"en": "quoted (secondary)", "kk": "дәйексөз (қосалқы)", "ru": "цитата (вторичные)"},
    "article": {"en": "article", "kk": "мақала", "ru": "статья"},
    "this_study": {"en": "this study", "kk": "осы зерттеу", "ru": "это исследование"},
    "synthetic": {"en": "synthetic", "kk": "синтетикалық", "ru": "синтетические"},
    "population": {"en": "Population", "kk": "Халық саны", "ru": "Численность населения"},
    "innovation_activity": {
        "en": "Innovation activity of enterprises, %",
        "kk": "Кәсіпорындардың инновациялық белсенділігі, %",
        "ru": "Инновационная активность предприятий, %",
    },
    # --- 00_literature_framing, 01_data_assembly, 02_innovation_activity (framing/coverage/trend)
    "fig01_title": {"en": "Figure 1. Research scheme", "kk": "1-сурет. Зерттеу схемасы",
                    "ru": "Рисунок 1. Схема исследования"},
    "scheme_hypothesis": {"en": "Hypothesis {n}", "kk": "Гипотеза {n}", "ru": "Гипотеза {n}"},
    "h1_short": {"en": "economic constraints,\nSMEs' access", "kk": "экономикалық\nшектеулер, ШОБ",
                 "ru": "экономические\nограничения, МСБ"},
    "h2_short": {"en": "knowledge and\npreparedness", "kk": "білім мен\nдайындық",
                 "ru": "знания и\nподготовленность"},
    "h3_short": {"en": "privacy and\ncybersecurity", "kk": "құпиялылық және\nкиберқауіпсіздік",
                 "ru": "конфиденциальность\nи кибербезопасность"},
    "scheme_analysis": {"en": "Data analysis, synthesis and processing",
                        "kk": "Мәліметтерді талдау, синтездеу және өңдеу",
                        "ru": "Анализ, синтез и обработка данных"},
    "scheme_comparative": {"en": "Comparative analysis and results",
                           "kk": "Салыстырмалы талдау және нәтижелер",
                           "ru": "Сравнительный анализ и результаты"},
    "scheme_confirmed": {"en": "Hypothesis confirmed", "kk": "Гипотезаны растау",
                         "ru": "Гипотеза подтверждена"},
    "scheme_not_confirmed": {"en": "Hypothesis not confirmed", "kk": "Гипотезаны растамау",
                             "ru": "Гипотеза не подтверждена"},
    "scheme_yes": {"en": "Yes", "kk": "Ия", "ru": "Да"},
    "scheme_no": {"en": "No", "kk": "Жоқ", "ru": "Нет"},
    "scheme_conclusion": {"en": "Conclusion", "kk": "Қорытынды", "ru": "Выводы"},
    "theme_technology": {"en": "technology", "kk": "технология", "ru": "технологии"},
    "theme_data": {"en": "data", "kk": "деректер", "ru": "данные"},
    "theme_citizens": {"en": "citizens", "kk": "азаматтар", "ru": "граждане"},
    "theme_governance": {"en": "governance", "kk": "басқару", "ru": "управление"},
    "theme_sustainability": {"en": "sustainability", "kk": "тұрақтылық", "ru": "устойчивость"},
    "author": {"en": "Author", "kk": "Автор", "ru": "Автор"},
    "reference": {"en": "Ref.", "kk": "Сілт.", "ru": "Ссылка"},
    "definition": {"en": "Definition (paraphrased)", "kk": "Анықтама (мазмұндалған)",
                   "ru": "Определение (пересказ)"},
    "event": {"en": "Event", "kk": "Оқиға", "ru": "Событие"},
    "statement": {"en": "Statement", "kk": "Тұжырым", "ru": "Формулировка"},
    "stage": {"en": "Stage", "kk": "Кезең", "ru": "Этап"},
    "table": {"en": "Table", "kk": "Кесте", "ru": "Таблица"},
    "kind": {"en": "Kind", "kk": "Түрі", "ru": "Тип"},
    "indicator": {"en": "Indicator", "kk": "Көрсеткіш", "ru": "Показатель"},
    "factor": {"en": "Factor", "kk": "Фактор", "ru": "Фактор"},
    "unit": {"en": "Unit", "kk": "Өлшем бірлігі", "ru": "Единица"},
    "source": {"en": "Source", "kk": "Дереккөз", "ru": "Источник"},
    "published": {"en": "Published", "kk": "Жарияланған", "ru": "Опубликовано"},
    "rows": {"en": "Rows", "kk": "Жолдар", "ru": "Строк"},
    "years": {"en": "Years", "kk": "Жылдар", "ru": "Годы"},
    "n_indicators": {"en": "Indicators", "kk": "Көрсеткіштер", "ru": "Показателей"},
    "n_regions_with_data": {"en": "Regions with data (of 20)",
                            "kk": "Деректері бар өңірлер (20-дан)",
                            "ru": "Регионов с данными (из 20)"},
    "missing": {"en": "Missing (of 20)", "kk": "Жоқ (20-дан)", "ru": "Пропусков (из 20)"},
    "proxy_strength": {"en": "Proxy strength", "kk": "Прокси күші", "ru": "Сила прокси"},
    "proxy_strong": {"en": "strong", "kk": "күшті", "ru": "сильный"},
    "proxy_moderate": {"en": "moderate", "kk": "орташа", "ru": "умеренный"},
    "proxy_weak": {"en": "weak", "kk": "әлсіз", "ru": "слабый"},
    "undated": {"en": "undated", "kk": "жылы жоқ", "ru": "без года"},
    "coverage_title": {"en": "Coverage: regions with data, by table and year",
                       "kk": "Қамту: кесте және жыл бойынша деректері бар өңірлер",
                       "ru": "Охват: регионы с данными по таблицам и годам"},
    "fig02_title": {"en": "Figure 2. Innovation activity of enterprises",
                    "kk": "2-сурет. Кәсіпорындардың инновациялық белсенділік деңгейі",
                    "ru": "Рисунок 2. Уровень инновационной активности предприятий"},
    "panel_regions": {"en": "20 regions, 2022 (official)", "kk": "20 өңір, 2022 (ресми)",
                      "ru": "20 регионов, 2022 (официально)"},
    "panel_national": {"en": "Kazakhstan over the years", "kk": "Қазақстан, жылдар бойынша",
                       "ru": "Казахстан по годам"},
    "panel_city": {"en": "Article beside official: {city}", "kk": "Мақала мен ресми дерек: {city}",
                   "ru": "Статья и официальные данные: {city}"},
    "national_level": {"en": "Kazakhstan {value:.1f}", "kk": "Қазақстан {value:.1f}",
                       "ru": "Казахстан {value:.1f}"},
    "trend_label": {"en": "linear trend {first}–{last}, R² = {r2:.3f}",
                    "kk": "сызықтық тренд {first}–{last}, R² = {r2:.3f}",
                    "ru": "линейный тренд {first}–{last}, R² = {r2:.3f}"},
    "article_r2_label": {"en": "article: R² = {r2:.4f}", "kk": "мақала: R² = {r2:.4f}",
                         "ru": "статья: R² = {r2:.4f}"},
    "confidence_high": {"en": "high confidence", "kk": "сенімділігі жоғары",
                        "ru": "высокая достоверность"},
    "confidence_medium": {"en": "medium confidence", "kk": "сенімділігі орташа",
                          "ru": "средняя достоверность"},
    "confidence_low": {"en": "low confidence", "kk": "сенімділігі төмен",
                       "ru": "низкая достоверность"},
    "official_total_2022": {"en": "official 2022,\nall enterprises",
                            "kk": "ресми 2022,\nбарлық кәсіпорындар",
                            "ru": "офиц. 2022,\nвсе предприятия"},
    "official_small_2022": {"en": "official 2022,\nsmall enterprises",
                            "kk": "ресми 2022,\nшағын кәсіпорындар",
                            "ru": "офиц. 2022,\nмалые предприятия"},
    "article_value": {"en": "article,\nlabelled {year}", "kk": "мақала,\n{year} деп берілген",
                      "ru": "статья,\nподписано {year}"},
    "no_article_value": {"en": "The article gives no value\nfor {city}",
                         "kk": "Мақалада мән жоқ:\n{city}",
                         "ru": "В статье нет значения:\n{city}"},
    "region_not_city": {"en": "whole region (oblast), not the city",
                        "kk": "бүкіл облыс, қала емес", "ru": "вся область, не город"},
    # --- 03_correlation_analysis, 04_pls_estimation (helpers.plots) ---
    "corr_this_study": {"en": "This study: Pearson r of the composites (20 regions)",
                        "kk": "Осы зерттеу: композиттердің Пирсон r (20 өңір)",
                        "ru": "Это исследование: r Пирсона композитов (20 регионов)"},
    "corr_article": {"en": "Article, Table 1", "kk": "Мақала, 1-кесте", "ru": "Статья, таблица 1"},
    "corr_difference": {"en": "Difference: this study − article",
                        "kk": "Айырма: осы зерттеу − мақала",
                        "ru": "Разность: это исследование − статья"},
    "composite_z": {"en": "Composite z-score (higher = better)",
                    "kk": "Композиттік z-балл (жоғары = жақсы)",
                    "ru": "Композитный z-балл (выше = лучше)"},
    "other_regions": {"en": "other regions", "kk": "басқа өңірлер", "ru": "другие регионы"},
    "outlined_above": {"en": "outlined: |r| > {t}", "kk": "жиектелген: |r| > {t}",
                       "ru": "обведены: |r| > {t}"},
    "rank_of_20": {"en": "rank {rank}/{n}", "kk": "{rank}/{n} орын", "ru": "место {rank}/{n}"},
    "fig04_title": {"en": "Correlations between the six factors; {city} highlighted",
                    "kk": "Алты фактор арасындағы корреляциялар; {city} белгіленген",
                    "ru": "Корреляции между шестью факторами; выделено: {city}"},
    "fig03_title": {"en": "PLS-SEM: six factors → smart-city adaptation (n = {n} regions);\n"
                          "beside each factor: {city}'s construct score (rank of {n})",
                    "kk": "PLS-SEM: алты фактор → smart city бейімделуі (n = {n} өңір);\n"
                          "әр фактордың жанында: {city} конструкт бағасы ({n} ішіндегі орны)",
                    "ru": "PLS-SEM: шесть факторов → адаптация к smart city (n = {n} регионов);\n"
                          "рядом с фактором: оценка конструкта {city} (место из {n})"},
    "fig03_title_plain": {"en": "PLS-SEM path model (n = {n})",
                          "kk": "PLS-SEM жол моделі (n = {n})",
                          "ru": "Путевая модель PLS-SEM (n = {n})"},
    "path_note": {"en": "Arrow width ∝ |coefficient|; blue positive, red negative; "
                        "[95 % percentile CI]; * CI excludes 0, n.s. CI includes 0",
                  "kk": "Көрсеткі ені ∝ |коэффициент|; көк – оң, қызыл – теріс; "
                        "[95 % перцентильдік СА]; * СА 0-ді қамтымайды, n.s. – қамтиды",
                  "ru": "Ширина стрелки ∝ |коэффициент|; синий – положительный, красный – "
                        "отрицательный; [95 % перцентильный ДИ]; * ДИ не содержит 0, "
                        "n.s. – содержит"},
    "synthetic_data": {"en": "SYNTHETIC DATA", "kk": "СИНТЕТИКАЛЫҚ ДЕРЕКТЕР",
                       "ru": "СИНТЕТИЧЕСКИЕ ДАННЫЕ"},
    "importance": {"en": "Importance (total effect on adaptation)",
                   "kk": "Маңыздылық (бейімделуге жалпы әсер)",
                   "ru": "Важность (общий эффект на адаптацию)"},
    "performance": {"en": "Performance (0–100)", "kk": "Нәтижелілік (0–100)",
                    "ru": "Результативность (0–100)"},
    "mean_all_regions": {"en": "mean of the 20 regions", "kk": "20 өңірдің орташасы",
                         "ru": "среднее по 20 регионам"},
    "fig05_title": {"en": "Importance–performance map of smart-city adaptation: {city}",
                    "kk": "Smart city бейімделуінің маңыздылық–нәтижелілік картасы: {city}",
                    "ru": "Карта важности–результативности адаптации к smart city: {city}"},
    "ipma_caution": {"en": "hollow: a negative outer weight (IPMA precondition not met)",
                     "kk": "бос белгі: теріс сыртқы салмақ (IPMA шарты орындалмаған)",
                     "ru": "пустой маркер: отрицательный внешний вес (условие IPMA не выполнено)"},
    "factor_to_improve": {"en": "would move {city} most: {factor}",
                          "kk": "{city} үшін ең тиімдісі: {factor}",
                          "ru": "сильнее всего продвинет {city}: {factor}"},
    # --- 05_city_report (helpers.profile) ---
    "profile_title": {"en": "{city}: profile among Kazakhstan's 20 regions",
                      "kk": "{city}: Қазақстанның 20 өңірі арасындағы бейнесі",
                      "ru": "{city}: профиль среди 20 регионов Казахстана"},
    "profile_region_note": {"en": "data for the whole region (oblast), not the city",
                            "kk": "деректер қала емес, бүкіл облыс бойынша",
                            "ru": "данные по всей области, не по городу"},
    "profile_ts_grp": {"en": "GRP per capita, thousand KZT (as published)",
                       "kk": "Жан басына шаққандағы ЖӨӨ, мың теңге (жарияланғандай)",
                       "ru": "ВРП на душу населения, тыс. тенге (как опубликовано)"},
    "profile_ts_population": {"en": "Population at 1 January, index ({base} = 100)",
                              "kk": "1 қаңтардағы халық саны, индекс ({base} = 100)",
                              "ru": "Численность населения на 1 января, индекс ({base} = 100)"},
    "profile_ts_emissions": {"en": "Emissions from stationary sources, kg per resident",
                             "kk": "Стационарлық көздерден шығарындылар, кг / тұрғын",
                             "ru": "Выбросы от стационарных источников, кг на жителя"},
    "profile_ts_env_costs": {"en": "Current environmental-protection costs, KZT per resident",
                             "kk": "Қоршаған ортаны қорғауға ағымдағы шығындар, теңге / тұрғын",
                             "ru": "Текущие затраты на охрану окружающей среды, тенге на жителя"},
    "profile_break_start": {"en": "series starts {year}", "kk": "қатар {year} жылдан басталады",
                            "ru": "ряд начинается с {year}"},
    "profile_break_ulytau": {"en": "from {year} without Ulytau region",
                             "kk": "{year} жылдан Ұлытау облысынсыз",
                             "ru": "с {year} без области Ұлытау"},
    "profile_break_abai": {"en": "from {year} without Abai region",
                           "kk": "{year} жылдан Абай облысынсыз",
                           "ru": "с {year} без области Абай"},
    "profile_break_zhetisu": {"en": "from {year} without Zhetisu region",
                              "kk": "{year} жылдан Жетісу облысынсыз",
                              "ru": "с {year} без области Жетісу"},
    "profile_break_boundary": {"en": "from {year} new boundaries",
                               "kk": "{year} жылдан жаңа шекаралар",
                               "ru": "с {year} новые границы"},
    "profile_break_coverage": {"en": "{year}: coverage change in the source",
                               "kk": "{year}: дереккөзде қамту өзгерді",
                               "ru": "{year}: изменение охвата в источнике"},
    "profile_break_census": {"en": "{year}: re-based on the 2021 census",
                             "kk": "{year}: 2021 санақ бойынша қайта есептелді",
                             "ru": "{year}: пересчёт по переписи 2021"},
    "profile_break": {"en": "break in the series", "kk": "қатардың үзілуі", "ru": "разрыв ряда"},
    "profile_rank_title": {"en": "Ranks among the {n} regions, 2022 cross-section",
                           "kk": "{n} өңір арасындағы орны, 2022 кесінді",
                           "ru": "Места среди {n} регионов, срез 2022 г."},
    "profile_rank_axis": {"en": "rank (1 = best of {n}; ↓ = lower value is better)",
                          "kk": "орны (1 = {n} өңірдің ең жақсысы; ↓ = мәні төмен болған жақсы)",
                          "ru": "место (1 = лучшее из {n}; ↓ = чем ниже значение, тем лучше)"},
    "profile_factor_rank": {"en": "factor composite rank", "kk": "фактордың құрама орны",
                            "ru": "место по композиту фактора"},
    "profile_indicator_rank": {"en": "indicator rank", "kk": "көрсеткіш бойынша орны",
                               "ru": "место по показателю"},
    "profile_caption": {"en": "Official BNS statistics (time series; per resident = divided by "
                              "the population at 1 January of the year) and the study's codebook "
                              "indicators (ranks). Composite = mean z-score of the factor's "
                              "oriented indicators. Dashed vertical line: median rank.",
                        "kk": "ҰСБ ресми статистикасы (уақыт қатарлары; тұрғынға шаққанда = "
                              "жылдың 1 қаңтарындағы халық санына бөлінген) және зерттеудің "
                              "кодтық кітабының көрсеткіштері (орындар). Құрама балл = фактор "
                              "көрсеткіштерінің бағытталған z-бағаларының орташасы. Үзік тік "
                              "сызық: медиана орны.",
                        "ru": "Официальная статистика БНС (временные ряды; на жителя = делённое "
                              "на численность населения на 1 января года) и показатели кодовой "
                              "книги исследования (места). Композит = среднее z-оценок "
                              "ориентированных показателей фактора. Пунктирная вертикаль: "
                              "медианное место."},
    "profile_value": {"en": "Value", "kk": "Мәні", "ru": "Значение"},
    "profile_median": {"en": "Median of 20 regions", "kk": "20 өңірдің медианасы",
                       "ru": "Медиана 20 регионов"},
    "profile_rank": {"en": "Rank (1 = best)", "kk": "Орны (1 = ең жақсы)",
                     "ru": "Место (1 = лучшее)"},
    "profile_direction": {"en": "Direction", "kk": "Бағыты", "ru": "Направление"},
    "profile_higher_better": {"en": "higher is better", "kk": "жоғары болған жақсы",
                              "ru": "чем выше, тем лучше"},
    "profile_lower_better": {"en": "lower is better", "kk": "төмен болған жақсы",
                             "ru": "чем ниже, тем лучше"},
    "profile_score": {"en": "Composite (z)", "kk": "Құрама балл (z)", "ru": "Композит (z)"},
    "profile_vs_median": {"en": "Minus median", "kk": "Медианадан айырмасы",
                          "ru": "Отклонение от медианы"},
    "ind_higher_education_share": {"en": "Higher education, % of urban population",
                                   "kk": "Жоғары білімі барлар, қала халқының %",
                                   "ru": "С высшим образованием, % городского населения"},
    "ind_life_expectancy": {"en": "Life expectancy at birth, years",
                            "kk": "Күтілетін өмір ұзақтығы, жыл",
                            "ru": "Ожидаемая продолжительность жизни, лет"},
    "ind_population_growth": {"en": "Population growth in 2022, %",
                              "kk": "2022 жылғы халық санының өсімі, %",
                              "ru": "Прирост населения за 2022 г., %"},
    "ind_medical_institutions_per_10k": {"en": "Medical institutions per 10 000 residents",
                                         "kk": "10 000 тұрғынға медициналық мекемелер",
                                         "ru": "Медицинские организации на 10 000 жителей"},
    "ind_public_transport_vehicles_per_10k": {
        "en": "Public transport vehicles per 10 000 residents",
        "kk": "10 000 тұрғынға қоғамдық көлік бірліктері",
        "ru": "Единицы общественного транспорта на 10 000 жителей"},
    "ind_crimes_cleared_share_of_crimes_registered": {
        "en": "Crimes cleared, % of registered",
        "kk": "Ашылған қылмыстар, тіркелгендердің %",
        "ru": "Раскрытые преступления, % от зарегистрированных"},
    "ind_grp_per_capita": {"en": "GRP per capita, thousand KZT",
                           "kk": "Жан басына ЖӨӨ, мың теңге",
                           "ru": "ВРП на душу населения, тыс. тенге"},
    "ind_avg_monthly_wage": {"en": "Average monthly wage, KZT",
                             "kk": "Орташа айлық жалақы, теңге",
                             "ru": "Среднемесячная заработная плата, тенге"},
    "ind_unemployment_rate": {"en": "Unemployment rate, %", "kk": "Жұмыссыздық деңгейі, %",
                              "ru": "Уровень безработицы, %"},
    "ind_crimes_registered_per_10k": {"en": "Registered crimes per 10 000 residents",
                                      "kk": "10 000 тұрғынға тіркелген қылмыстар",
                                      "ru": "Зарегистрированные преступления на 10 000 жителей"},
    "ind_innovation_activity_level": {"en": "Innovation activity level, %",
                                      "kk": "Инновациялық белсенділік деңгейі, %",
                                      "ru": "Уровень инновационной активности, %"},
    "ind_innovation_expenditure_per_capita": {
        "en": "Innovation expenditure, KZT per resident",
        "kk": "Инновацияға шығындар, теңге / тұрғын",
        "ru": "Затраты на инновации, тенге на жителя"},
    "ind_rnd_internal_expenditure_per_capita": {
        "en": "Internal R&D expenditure, KZT per resident",
        "kk": "ҒЗТКЖ ішкі шығындары, теңге / тұрғын",
        "ru": "Внутренние затраты на НИОКР, тенге на жителя"},
    "ind_rnd_personnel_per_10k": {"en": "R&D personnel per 10 000 residents",
                                  "kk": "10 000 тұрғынға ҒЗТКЖ персоналы",
                                  "ru": "Персонал НИОКР на 10 000 жителей"},
    "ind_emissions_stationary_per_capita": {
        "en": "Emissions, stationary sources, kg per resident",
        "kk": "Стационарлық көздерден шығарындылар, кг / тұрғын",
        "ru": "Выбросы стационарных источников, кг на жителя"},
    "ind_env_protection_current_costs_per_capita": {
        "en": "Environmental-protection costs, KZT per resident",
        "kk": "Қоршаған ортаны қорғау шығындары, теңге / тұрғын",
        "ru": "Затраты на охрану среды, тенге на жителя"},
    "ind_smart_city_adaptation_score": {"en": "Ministry smart-city ranking (21 − rank)",
                                        "kk": "Министрліктің smart city рейтингі (21 − орын)",
                                        "ru": "Рейтинг smart city министерства (21 − место)"},
    # --- 06_article_reconstruction (helpers.reconstruction) ---
    "rec_fig07_title": {"en": "Table 1 recovered from a synthetic survey "
                              "(n = {n} simulated respondents)",
                        "kk": "Синтетикалық сауалнамадан қалпына келтірілген 1-кесте "
                              "(n = {n} модельденген респондент)",
                        "ru": "Таблица 1, восстановленная по синтетическому опросу "
                              "(n = {n} смоделированных респондентов)"},
    "rec_fig07_title_real": {"en": "Table 1 beside survey responses: {city} (n = {n})",
                             "kk": "1-кесте және сауалнама жауаптары: {city} (n = {n})",
                             "ru": "Таблица 1 и ответы опроса: {city} (n = {n})"},
    "rec_published": {"en": "Table 1 as published (article)", "kk": "1-кесте (мақалада)",
                      "ru": "Таблица 1 (в статье)"},
    "rec_corrected": {"en": "construct scores corrected for measurement error, 95 % CI",
                      "kk": "өлшеу қателігіне түзетілген құрылым бағалары, 95 % СА",
                      "ru": "оценки конструктов с поправкой на ошибку измерения, 95 % ДИ"},
    "rec_scores": {"en": "construct scores, uncorrected", "kk": "құрылым бағалары, түзетусіз",
                   "ru": "оценки конструктов без поправки"},
    "rec_claim": {"en": "0.42: the article's text", "kk": "0,42: мақала мәтіні",
                  "ru": "0,42: текст статьи"},
    "rec_correlation": {"en": "Correlation between factors",
                        "kk": "Факторлар арасындағы корреляция",
                        "ru": "Корреляция между факторами"},
    "rec_caption_synthetic": {
        "en": "Synthetic data: simulated from the article's Table 1 and this study's stated "
              "assumptions (seed {seed}); not evidence about any city.",
        "kk": "Синтетикалық деректер: мақаланың 1-кестесі мен осы зерттеудің болжамдарынан "
              "модельденген (seed {seed}); ешбір қала туралы дәлел емес.",
        "ru": "Синтетические данные: смоделированы по таблице 1 статьи и заявленным допущениям "
              "исследования (seed {seed}); не свидетельство о каком-либо городе."},
    "rec_caption_real": {"en": "Survey responses collected in {city} with "
                               "data/survey/instrument.csv.",
                         "kk": "{city} қаласында data/survey/instrument.csv бойынша жиналған "
                               "сауалнама жауаптары.",
                         "ru": "Ответы опроса, собранные в городе {city} по "
                               "data/survey/instrument.csv."},
    "rec_fig08_title": {"en": "How many respondents? Power to detect each assumed path "
                              "(synthetic Monte Carlo)",
                        "kk": "Қанша респондент керек? Әр болжамды жолды анықтау қуаты "
                              "(синтетикалық Монте-Карло)",
                        "ru": "Сколько нужно респондентов? Мощность обнаружения каждого пути "
                              "(синтетическое моделирование Монте-Карло)"},
    "rec_fig08_caption": {
        "en": "Synthetic: {n_sim} simulated surveys per size; a path counts as detected when "
              "p < 0.05 and β > 0. Paths and loadings are assumptions, not Astana's.",
        "kk": "Синтетикалық: әр көлемге {n_sim} модельденген сауалнама; p < 0,05 және β > 0 "
              "болса, жол анықталды деп саналады. Жолдар мен жүктемелер – болжам, Астананікі емес.",
        "ru": "Синтетические данные: {n_sim} смоделированных опросов на размер; путь считается "
              "обнаруженным при p < 0,05 и β > 0. Пути и нагрузки – допущения, не данные Астаны."},
    "rec_respondents": {"en": "Respondents (log scale)", "kk": "Респонденттер саны (лог. шкала)",
                        "ru": "Число респондентов (лог. шкала)"},
    "rec_power": {"en": "Power", "kk": "Қуат", "ru": "Мощность"},
    "rec_target": {"en": "80 % power", "kk": "80 % қуат", "ru": "мощность 80 %"},
    "rec_regions": {"en": "n = 20 (the regions' cross-section)", "kk": "n = 20 (өңірлер қимасы)",
                    "ru": "n = 20 (срез регионов)"},
    "rec_survey_n": {"en": "n = {n} (reconstruction)", "kk": "n = {n} (реконструкция)",
                     "ru": "n = {n} (реконструкция)"},
    "rec_fig09_title": {"en": "The article's model on a synthetic survey (Figure 3 style, n = {n})",
                        "kk": "Мақала моделі синтетикалық сауалнамада (3-сурет үлгісі, n = {n})",
                        "ru": "Модель статьи на синтетическом опросе (в стиле рис. 3, n = {n})"},
    "rec_fig09_title_real": {"en": "The article's model on survey responses: {city} (n = {n})",
                             "kk": "Мақала моделі сауалнама жауаптарында: {city} (n = {n})",
                             "ru": "Модель статьи на ответах опроса: {city} (n = {n})"},
    # --- 07_reproduction_report (helpers.reproduction) ---
    "repro_claim": {"en": "Claim (article)", "kk": "Тұжырым (мақала)",
                    "ru": "Утверждение (статья)"},
    "repro_verdict": {"en": "Verdict", "kk": "Қорытынды", "ru": "Вердикт"},
    "repro_reason": {"en": "Why", "kk": "Себебі", "ru": "Почему"},
    "repro_reproduced": {"en": "reproduced", "kk": "қайталанды", "ru": "воспроизведено"},
    "repro_differs": {"en": "differs", "kk": "ерекшеленеді", "ru": "расходится"},
    "repro_cannot_be_checked": {"en": "cannot be checked", "kk": "тексеруге болмайды",
                                "ru": "нельзя проверить"},
}


def label(key: str, lang: str = "en") -> str:
    """The label ``key`` in ``lang`` (``en``, ``kk`` or ``ru``)."""
    try:
        entry = LABELS[key]
    except KeyError:
        raise KeyError(f"No label {key!r}. Known labels: {', '.join(sorted(LABELS))}.") from None
    try:
        return entry[lang]
    except KeyError:
        raise KeyError(f"Label {key!r} has no {lang!r} text; languages: {sorted(entry)}.") from None


def factor_labels(lang: str = "en", with_code: bool = True, folder=None) -> dict[str, str]:
    """``{factor id: "ӘО · social environment"}`` in ``lang`` (names from the article's table;
    the codes stay the article's Kazakh abbreviations in every language; the outcome is ``y``)."""
    table = _article_factors(folder)
    column = f"name_{lang}"
    if column not in table.columns:
        raise KeyError(f"no factor names in {lang!r}; languages: en, kk, ru.")
    return {r["id"]: (f"{r['code_kk']} · {r[column]}" if with_code else r[column])
            for r in table.to_dict("records")}


def factor_codes(folder=None) -> dict[str, str]:
    """``{factor id: article code}`` (ӘО, ҚМ, ҚЭ, З, Т, Тқ, y)."""
    table = _article_factors(folder)
    return dict(zip(table["id"], table["code_kk"], strict=True))


def _article_factors(folder=None):
    from helpers.article import factors

    return factors(folder)

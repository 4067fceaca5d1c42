"""Common names of Arabic, Persian, Urdu, Pashto, Tigrinya and Amharic speakers, with the Latin spellings
people actually write (passports, UNHCR registrations, social media), grouped per name.

Each line: ``group | native forms | Latin spellings``. The first Latin spelling is the one proposed when
the name is written in its own script; ``fa=``/``ur=`` give the usual Persian (Iran, Afghanistan) and
Urdu/Pashto (Pakistan, Afghanistan) spellings where they differ. A name in a group matches every other
spelling of that group, and a known name of another group never matches on its consonants alone
("Mahmoud" is not "Mohammed", "Hassan" is not "Hussein"). Sources of the spellings: see
``docs/names.md`` (the Wikipedia pages "Muhammad (name)", "Yusuf", "Hussein (name)" and their
"Variants" sections; ICAO Doc 9303 part 3 for the Arabic transliteration table used in passports; the
UNHCR/Home Office "Arabic names" guidance; the lists of common Ethiopian and Eritrean names).
"""

from __future__ import annotations

_TABLE = """
muhammad | محمد | Mohammed Muhammad Mohamed Mohamad Mohammad Muhammed Mohammet Muhamad Mouhamed Mohd Mhd Mohamud Muhamed | fa=Mohammad ur=Muhammad
mahmud | محمود | Mahmoud Mahmud Mahmood Mehmood Mahmut
ahmad | أحمد احمد | Ahmad Ahmed Ahmet Ahmid Achmed Ehmed | fa=Ahmad
hamid | حامد | Hamid Hamed Hameed Hamide
hamad | حمد | Hamad Hamed
muhannad | مهند | Muhannad Mohannad Mohanad Muhanad
yusuf | يوسف | Yusuf Youssef Yousef Yousif Yusef Youcef Yossef Yousuf Yusif Yousaf Yussuf Yussef | ur=Yousaf
ibrahim | إبراهيم ابراهيم | Ibrahim Ebrahim Brahim Ibraheem Ibrahem Ebraheem
ismail | إسماعيل اسماعيل | Ismail Ismael Ismaeel Esmail Ismayil Smail
ishaq | إسحاق اسحاق | Ishaq Ishak Isaac
yaqub | يعقوب | Yaqub Yacoub Yaqoob Yakoub Yacub Yaakoub Yakub
musa | موسى | Musa Moussa Mousa Moosa Mussa
isa | عيسى | Isa Issa Eisa Essa
sulayman | سليمان | Suleiman Sulaiman Sulayman Soliman Slimane Suleyman Solaiman Sleiman | fa=Soleiman
dawud | داود داوود | Dawood Daoud Dawud Daud Davood | fa=Davood
yunus | يونس | Yunus Younes Younis Yunis Younus Yones
ali | علي | Ali Aly Alee
umar | عمر | Omar Umar Omer Omer Umer | ur=Umar
amr | عمرو | Amr Amro Amru Amrou
uthman | عثمان | Othman Osman Uthman Usman Outhmane Osmane | ur=Usman
hasan | حسن | Hassan Hasan Hassen Hasen Hacen | fa=Hassan
husayn | حسين حسین | Hussein Husain Hussain Hossein Husayn Hossain Husein Houssein Hocine Hussien | fa=Hossein ur=Hussain
husni | حسني | Husni Hosni Housni
hisham | هشام | Hisham Hesham Hicham Hisam
khalid | خالد | Khalid Khaled Kaled Halid Khalled Khalid
khalil | خليل | Khalil Khaleel Halil Khelil
karim | كريم | Karim Kareem Kerim Karem
abdullah | عبدالله | Abdullah Abdallah Abdulla Abdellah Abdalla Abdollah Abdelah | fa=Abdollah
abdulrahman | عبدالرحمن | Abdulrahman Abdelrahman Abdalrahman Abderrahmane Abdurrahman Abdul-Rahman Abdourahman Abdirahman Abdolrahman
abdulaziz | عبدالعزيز | Abdulaziz Abdelaziz Abdalaziz Abdul-Aziz Abdelaziz
abdulkarim | عبدالكريم | Abdulkarim Abdelkarim Abdul-Karim Abdalkarim Abdelkrim
abdulqadir | عبدالقادر | Abdulqadir Abdelkader Abdulkadir Abdul-Qadir Abdelkadir
abdulrazzaq | عبدالرزاق | Abdulrazzaq Abdelrazak Abdul-Razzaq Abderrazak Abdulrazak
abdulhamid | عبدالحميد | Abdulhamid Abdelhamid Abdul-Hamid Abdelhamide
abdulnasser | عبدالناصر | Abdulnasser Abdelnasser Abdennacer Abdul-Nasser
abu_bakr | أبوبكر ابوبكر | Abubakr Abu-Bakr Abubakar Aboubakr Aboubakar Abubaker
mustafa | مصطفى | Mustafa Mostafa Moustafa Mustapha Mostapha Mustefa | fa=Mostafa
mahdi | مهدي مهدی | Mahdi Mehdi Mahdy | fa=Mehdi
kamal | كمال | Kamal Kamel Kemal
jamal | جمال | Jamal Gamal Djamel Jamel Jemal
jamil | جميل | Jamil Jameel Gamil Djamil
nabil | نبيل | Nabil Nabeel Nebil
nasser | ناصر | Nasser Naser Nacer Nasir Nassir
nasr | نصر | Nasr Nassr Nasser
nizar | نزار | Nizar Nezar Nizzar
samir | سمير | Samir Sameer Semir Smir
sami | سامي | Sami Sammy Samy Samee
usama | أسامة اسامة | Osama Usama Oussama Ousama Osamah Usamah
bashar | بشار | Bashar Bachar Bashshar
bassam | بسام | Bassam Basam Bessam
basil | باسل | Basel Basil Bassel
salim | سليم | Salim Saleem Selim Slim
salih | صالح | Salih Saleh Salah Saaleh
salah | صلاح | Salah Salaheddine Salaah
said | سعيد | Said Saeed Saied Saeid Sayed Saaid | fa=Saeed
saad | سعد | Saad Saed Sad Saadi
sayyid | سيد | Sayyid Sayed Seyed Sayyed Said Syed | fa=Seyed ur=Syed
tariq | طارق | Tariq Tarek Tarik Tareq Tarak
tahir | طاهر | Tahir Taher Tahar
talal | طلال | Talal Tallal
walid | وليد | Walid Waleed Oualid Walead
wael | وائل | Wael Wail Wa'il Ouael
waseem | وسيم | Wassim Waseem Wasim Ouassim
yasir | ياسر | Yasser Yasir Yaser Yassir
yasin | ياسين | Yassin Yasin Yaseen Yacine Yassine
yahya | يحيى يحيي | Yahya Yehia Yahia Yehya Yahiya
zakariya | زكريا | Zakaria Zakariya Zakariyya Zakaria Zacharia
ziyad | زياد | Ziad Ziyad Zeyad Ziyaad
fadi | فادي | Fadi Fady
fadil | فاضل | Fadel Fadil Fazel Fazil | fa=Fazel ur=Fazil
faisal | فيصل | Faisal Faysal Feisal Fayçal Faycal
firas | فراس | Firas Feras Ferass
fuad | فؤاد | Fuad Fouad Fuat Foad
ghassan | غسان | Ghassan Ghasan Rassan
habib | حبيب | Habib Habeeb Haby
hadi | هادي | Hadi Hady
hamza | حمزة | Hamza Hamzah Hamze Hamzeh | fa=Hamzeh
haytham | هيثم | Haitham Haytham Heitham Haithem
hazem | حازم | Hazem Hazim Hazzem
idris | إدريس ادريس | Idris Idriss Edris Driss
imad | عماد | Imad Emad Imed
iyad | إياد اياد | Iyad Eyad Iyed Ayad
jawad | جواد | Jawad Jawwad Javad | fa=Javad
jafar | جعفر | Jafar Jaafar Jaffar Djafar | fa=Jafar
jalal | جلال | Jalal Djalal Jelal
kamil | كامل | Kamil Kamel
luay | لؤي | Louay Luay Loai Luai
majid | ماجد | Majid Majed Maged Madjid
mansur | منصور | Mansour Mansur Mansoor Mensur
marwan | مروان | Marwan Merwan
maher | ماهر | Maher Mahir
mazen | مازن | Mazen Mazin
muhsin | محسن | Mohsen Muhsin Mohsin | fa=Mohsen
munir | منير | Mounir Munir Muneer
murad | مراد | Murad Mourad Morad
nadir | نادر | Nader Nadir
najib | نجيب | Najib Najeeb Nagib Nadjib
nur | نور | Nour Nur Noor
omran | عمران | Omran Imran Emran Amran | ur=Imran
qasim | قاسم | Qasim Kassem Qassem Kasim Qasem Gassim Kacem | fa=Ghasem
radwan | رضوان | Radwan Redouane Rizwan Ridwan | ur=Rizwan
rami | رامي | Rami Ramy
rashid | رشيد راشد | Rashid Rachid Rasheed Rached Rashed
riyad | رياض | Riad Riyad Riyadh Ryad
rida | رضا | Reza Rida Redha Ridha Raza | fa=Reza ur=Raza
shadi | شادي | Shadi Chadi Shady
shakir | شاكر | Shaker Shakir Chaker
sharif | شريف | Sharif Cherif Sherif Shareef Charif
tawfiq | توفيق | Tawfiq Taoufik Tawfik Toufik Tofik Tewfik
wahid | وحيد | Wahid Waheed Vahid | fa=Vahid
zayd | زيد | Zaid Zayd Zeid Zayed
rahim | رحيم | Rahim Raheem Rahime
rahman | رحمن رحمان | Rahman Rehman Rahmane | ur=Rehman
nasrallah | نصرالله | Nasrallah Nasrullah Nasrala
fatima | فاطمة فاطمه | Fatima Fatma Fatimah Fatemeh Fatme Fatouma Fadma | fa=Fatemeh
aisha | عائشة عايشة عائشه | Aisha Aysha Aicha Ayesha Aishah Aïcha Ayşe | ur=Ayesha
khadija | خديجة خديجه | Khadija Khadijah Khadidja Hatice Khadeeja
maryam | مريم | Maryam Mariam Meryem Mariem Meriem
zaynab | زينب | Zainab Zaynab Zeinab Zeynab Zineb | fa=Zeinab
layla | ليلى ليلا | Layla Leila Laila Leyla Laila Leïla
amina | أمينة امينة | Amina Aminah Amineh Ameena
amira | أميرة اميرة | Amira Ameera Amirah Emira
asma | أسماء اسماء | Asma Asmaa Asmae Esma
huda | هدى | Huda Houda Hoda Hudaa
hana | هناء هنا | Hana Hanaa Hanae Hena
iman | إيمان ايمان | Iman Eman Imane Emaan
nadia | نادية ناديا | Nadia Nadiya Nadja Nadya
noura | نورا نورة | Noura Nura Noora Nora
rania | رانيا | Rania Ranya Raniya
rasha | رشا | Rasha Racha Rachaa
reem | ريم | Reem Rim Rima Reema
salma | سلمى | Salma Selma Salmah
samira | سميرة | Samira Sameera Semira
sara | سارة ساره | Sara Sarah Sarra Sarah
suad | سعاد | Suad Souad Soad Suaad
wafa | وفاء | Wafa Wafaa Ouafae
yasmin | ياسمين | Yasmin Yasmine Jasmin Yasmeen Yassmin
zahra | زهراء زهرا زهرة | Zahra Zahraa Zehra Zohra Zahrah | fa=Zahra
ruqayya | رقية | Ruqayya Roqaya Rukiye Roukaya
lina | لينا لينة | Lina Leena Linah
dina | دينا | Dina Deena Dena
malak | ملاك | Malak Malek Melek
ghada | غادة | Ghada Rada Ghadah
nisreen | نسرين | Nisreen Nesrine Nisrin Nasrin | fa=Nasrin
parisa | پریسا | Parisa Parissa
shirin | شیرین شيرين | Shirin Shireen Chirine
marzieh | مرضیه | Marzieh Marzia Marziyeh
mujtaba | مجتبی مجتبى | Mojtaba Mujtaba Mojtaba
gul | گل | Gul Gol Gull
khan | خان | Khan Kan Chan
zarghuna | زرغونه | Zarghuna Zarghona
habibullah | حبیب‌الله حبيبالله | Habibullah Habibollah Habiballah
naqibullah | نقیب‌الله | Naqibullah Naqibollah
shah | شاه | Shah Sha Shakh
haddad | حداد | Haddad Hadad Hadded
najjar | نجار | Najjar Najar Nadjar Neccar
khatib | خطيب | Khatib Khateeb Khatip Chatib
homsi | حمصي | Homsi Himsi Humsi Hemsi
halabi | حلبي | Halabi Halaby
shami | شامي | Shami Chami Shamy
masri | مصري | Masri Masry Misri Elmasry
baghdadi | بغدادي | Baghdadi Bagdadi
hashimi | هاشمي | Hashimi Hashemi Hachemi | fa=Hashemi
husseini | حسيني حسینی | Husseini Hosseini Husaini Hussaini | fa=Hosseini
qurashi | قرشي | Qurashi Qureshi Koreichi Quraishi | ur=Qureshi
tamimi | تميمي | Tamimi Tamimy Temimi
zoubi | زعبي | Zoubi Zubi Zou'bi Zoabi
sabbagh | صباغ | Sabbagh Sabagh Sabbag
khoury | خوري | Khoury Khouri Khuri Khury Koury
farah | فرح | Farah Farrah
othmani | عثماني | Othmani Osmani Uthmani
rezaei | رضایی رضائي رضائی | Rezaei Rezaee Rezai Rezayi
ahmadi | احمدی أحمدي احمدي | Ahmadi Ahmady Ahmedi
mohammadi | محمدی محمدي | Mohammadi Muhammadi Mohamadi
hosseini_fa | حسینی | Hosseini Husseini Hussaini
karimi | کریمی كريمي | Karimi Karimy Kerimi
rahimi | رحیمی رحيمي | Rahimi Rahimy Rahimee
jafari | جعفری جعفري | Jafari Jaafari Djafari
azizi | عزیزی عزيزي | Azizi Azizy Aziziy
amiri | امیری اميري | Amiri Amiry Emiri
sultani | سلطانی سلطاني | Sultani Soltani Sultany
popal | پوپل | Popal Popel
stanikzai | ستانکزی | Stanikzai Stanekzai Stanakzai
yusufzai | یوسفزی | Yousafzai Yusufzai Yousufzai
gulalai | ګلالۍ گلالی | Gulalai Gulalay Golalai
tesfay | ተስፋይ ተስፋዬ | Tesfay Tesfaye Tesfai Tesfaie
haile | ኃይሌ ሃይሌ ሀይሌ ኀይሌ | Haile Hayle Hailé
gebre | ገብረ | Gebre Ghebre Gebra Gabre
yohannes | ዮሃንስ ዮሐንስ ዮውሃንስ | Yohannes Yohanes Yohanns Johannes
tekle | ተክለ ተኽለ | Tekle Tekla Tecle Tekly
mebrahtu | መብራህቱ | Mebrahtu Mebratu Mebrahtom
berhane | ብርሃነ በርሀ | Berhane Berhe Birhane Brhane
kidane | ኪዳነ ኪዳን | Kidane Kidan Keddane
girmay | ግርማይ ግርማ | Girmay Ghirmay Girma Ghirma
mulugeta | ሙሉጌታ | Mulugeta Mulageta
abraham | ኣብርሃም አብርሃም | Abraham Abrham Abreham
semere | ሰመረ | Semere Semre Samere
yonas | ዮናስ | Yonas Jonas Yunus
selam | ሰላም | Selam Salam Selamawit
helen | ሄለን ሔለን | Helen Helina
senait | ሰናይት | Senait Senayt Sennait
tsega | ጸጋ ፀጋ | Tsega Tsegai Tsegay Tsigie
"""

# Particles written before a family or given name: the article (al-, el-, with the sun letters
# assimilated: ad-, ar-, as-, ash-, at-, az-, an-, ud-din), and "son of".
ARTICLES = frozenset({"al", "el", "ul", "il"})
# The article before a sun letter is written as that letter: "ash-Shami", "ad-Din", "ar-Rashid".
SUN_ARTICLES = {
    "ad": "d",
    "ar": "r",
    "as": "s",
    "ash": "sh",
    "at": "t",
    "az": "z",
    "an": "n",
    "ed": "d",
    "er": "r",
    "es": "s",
    "et": "t",
    "ez": "z",
    "ud": "d",
    "ur": "r",
    "us": "s",
}
SON_OF = frozenset({"bin", "ben", "ibn", "bint", "ould", "wuld", "walad"})
# Prefixes of compound given names ("Abd al-Rahman", "Abu Bakr") that join the next word.
COMPOUND_PREFIXES = (
    "abdul",
    "abdel",
    "abdal",
    "abdol",
    "abdou",
    "abdur",
    "abder",
    "abdu",
    "abde",
    "abdi",
    "abd",
    "abou",
    "abu",
    "abo",
)


def _parse() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], dict[str, dict[str, str]]]:
    native: dict[str, list[str]] = {}
    latin: dict[str, list[str]] = {}
    display: dict[str, dict[str, str]] = {}
    for line in _TABLE.strip().splitlines():
        parts = [p.strip() for p in line.split("|")]
        group, forms, spellings = parts[0], parts[1].split(), parts[2].split()
        extra = dict(item.split("=", 1) for item in (parts[3].split() if len(parts) > 3 else []))
        display[group] = {"default": spellings[0], **extra}
        for form in forms:
            native.setdefault(form, []).append(group)
        for spelling in (*spellings, *extra.values()):
            latin.setdefault(spelling.lower(), []).append(group)
    return (
        {k: tuple(dict.fromkeys(v)) for k, v in native.items()},
        {k: tuple(dict.fromkeys(v)) for k, v in latin.items()},
        display,
    )


NATIVE_GROUPS, LATIN_GROUPS, DISPLAY = _parse()

"""Realistic text answers (reflections and essays) for measuring how the learner state packs them:
English, French and Arabic, short and long. Written for these tests, not taken from a course."""

EN_SHORT = "I had never thought of mutual aid as something practical. Next week I will ask my neighbour whether she needs help with the shopping."
EN_LONG = (
    "Before this module I thought solidarity was mostly a word used in speeches, something you say when a strike "
    "is in the news. Reading the quotations changed my mind: the people who wrote them were describing daily habits, "
    "not slogans. What struck me most was the idea that helping each other is not charity, because charity goes one "
    "way and solidarity goes both ways. At my workplace we have a shared kitchen and a rota for cleaning it, and "
    "nobody follows the rota. After reading this I wonder whether the problem is that the rota was imposed by the "
    "manager instead of agreed by the people who use the kitchen. I would like to propose a short meeting where we "
    "decide together who does what, and to see whether people keep an agreement they made themselves better than a "
    "rule they were given. I also noticed that I rarely ask for help myself. I offer it, but asking feels like "
    "admitting that I cannot cope. The module made me see that refusing to ask is a way of keeping others at a "
    "distance, and that a group where only some people ask is not really a group of equals. So my plan has two "
    "parts: the kitchen meeting, and asking a colleague to review my report next week instead of doing it alone."
)
FR_SHORT = "Je n'avais jamais vu l'entraide comme une pratique quotidienne. Cette semaine, je vais proposer à mes voisins un panier de courses commun."
FR_LONG = (
    "Avant ce module, je pensais que la solidarité était surtout un mot de discours, qu'on prononce lors d'une grève "
    "ou d'une catastrophe. Les citations m'ont fait changer d'avis : ceux qui les ont écrites décrivaient des habitudes "
    "de tous les jours, pas des slogans. Ce qui m'a le plus frappé, c'est l'idée que s'entraider n'est pas de la "
    "charité, parce que la charité va dans un seul sens alors que la solidarité va dans les deux. Dans mon entreprise, "
    "nous avons une cuisine commune et un planning de nettoyage que personne ne respecte. Je me demande maintenant si "
    "le problème ne vient pas du fait que ce planning a été imposé par la direction au lieu d'être décidé par ceux qui "
    "utilisent la cuisine. J'aimerais proposer une courte réunion où nous déciderions ensemble qui fait quoi, et voir "
    "si l'on respecte mieux un accord qu'on a conclu soi-même qu'une règle qu'on nous a donnée. J'ai aussi remarqué que "
    "je demande rarement de l'aide. J'en offre, mais demander me donne l'impression d'avouer que je n'y arrive pas."
)
AR_SHORT = "لم أكن أرى التعاون من قبل كممارسة يومية. هذا الأسبوع سأقترح على جيراني أن نشتري حاجياتنا معًا."
AR_LONG = (
    "قبل هذه الوحدة كنت أظن أن التضامن مجرد كلمة تقال في الخطب، نرددها عندما يكون هناك إضراب أو كارثة. "
    "لكن الاقتباسات غيّرت رأيي: فالذين كتبوها كانوا يصفون عادات يومية وليس شعارات. أكثر ما لفت انتباهي هو فكرة "
    "أن مساعدة بعضنا البعض ليست صدقة، لأن الصدقة تسير في اتجاه واحد بينما التضامن يسير في الاتجاهين. في مكان عملي "
    "لدينا مطبخ مشترك وجدول للتنظيف لا يلتزم به أحد. أتساءل الآن إن كانت المشكلة أن الجدول فرضته الإدارة بدلًا من "
    "أن يتفق عليه من يستخدمون المطبخ. أود أن أقترح اجتماعًا قصيرًا نقرر فيه معًا من يفعل ماذا، وأن نرى هل نحترم "
    "اتفاقًا صنعناه بأنفسنا أكثر من قاعدة فُرضت علينا. لاحظت أيضًا أنني نادرًا ما أطلب المساعدة. أقدّمها، لكن "
    "طلبها يشعرني بأنني أعترف بعجزي. جعلتني هذه الوحدة أرى أن رفض الطلب طريقة لإبقاء الآخرين على مسافة."
)
SAMPLES = {
    "English, short": EN_SHORT, "English, long": EN_LONG,
    "French, short": FR_SHORT, "French, long": FR_LONG,
    "Arabic, short": AR_SHORT, "Arabic, long": AR_LONG,
}
